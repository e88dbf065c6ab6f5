/**
 * moto_server's KMS for the KMS provider tests (moto emulates Encrypt, Decrypt, GenerateDataKey and DescribeKey,
 * binds the EncryptionContext as AES-GCM associated data and checks the KeyId of Decrypt). Call useMotoKms() at
 * the top level of a test file: moto starts before the file's tests and stops after them.
 */
import { after, before } from "node:test";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { createKmsApi, type KmsApi, type KmsClientOptions } from "../../src/keys/kmsApi.ts";
import { startMoto, type MotoServer } from "../helpers/motoServer.ts";

export const MOTO_REGION = "us-east-1";
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

export interface MotoKms {
  readonly moto: MotoServer;
  /** A KmsApi on moto (static credentials, the default timeouts unless given). */
  api(options?: Partial<KmsClientOptions>): Promise<KmsApi>;
  /** Creates a symmetric encryption key; resolves with its ARN. */
  createKey(): Promise<string>;
}

export function useMotoKms(): MotoKms {
  let moto: MotoServer | undefined;
  let admin: KMSClient | undefined;
  const fixture: MotoKms = {
    get moto() {
      if (moto === undefined) throw new Error("moto is not running (useMotoKms registers a before hook)");
      return moto;
    },
    api: (options = {}) =>
      createKmsApi({
        region: MOTO_REGION,
        endpoint: fixture.moto.endpoint,
        credentials: MOTO_CREDENTIALS,
        ...options,
      }),
    async createKey() {
      admin ??= new KMSClient({
        region: MOTO_REGION,
        endpoint: fixture.moto.endpoint,
        credentials: MOTO_CREDENTIALS,
      });
      const out = await admin.send(new CreateKeyCommand({ Description: "s3proxy test KEK" }));
      const arn = out.KeyMetadata?.Arn;
      if (arn === undefined) throw new Error("moto CreateKey answered without an ARN");
      return arn;
    },
  };
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    admin?.destroy();
    await moto?.stop();
  });
  return fixture;
}
