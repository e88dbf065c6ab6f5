/**
 * The registrations of the remote key providers the configuration names, for buildKeyRing: the one place a new
 * provider (PKCS#11, a gRPC key service) is hooked in, next to its kind in keyRingConfig.ts.
 */
import type { KeyProviderRegistration } from "./buildKeyRing.ts";
import type { KeyRingConfig } from "./keyRingConfig.ts";
import { createKmsApi, type KmsApi } from "./kmsApi.ts";
import { KmsKeyProvider } from "./KmsKeyProvider.ts";
import { openKeyServiceProvider } from "./KeyServiceProvider.ts";
import { openPkcs11KeyProvider } from "./Pkcs11KeyProvider.ts";

export function remoteKeyProviders(config: KeyRingConfig): KeyProviderRegistration[] {
  const registrations: KeyProviderRegistration[] = [];
  const kms = config.kms;
  if (kms !== undefined) {
    let api: KmsApi | undefined; // one client, however often a failed start is retried
    registrations.push({
      kind: "kms",
      remote: true,
      create: async () => {
        api ??= await createKmsApi({ region: kms.region, endpoint: kms.endpoint });
        return KmsKeyProvider.create(api, kms);
      },
    });
  }
  const pkcs11 = config.pkcs11;
  if (pkcs11 !== undefined) {
    registrations.push({ kind: "pkcs11", remote: true, create: () => openPkcs11KeyProvider(pkcs11) });
  }
  const keyService = config.keyService;
  if (keyService !== undefined) {
    registrations.push({ kind: "grpc", remote: true, create: () => openKeyServiceProvider(keyService) });
  }
  return registrations;
}
