/**
 * A gRPC client for the key service's GetDataKey (keyservice.proto), one HTTP/2 channel for the provider's
 * life. Each call has a deadline (`timeoutMs`); calls do not wait for the channel to become ready (gRPC's
 * default "fail fast": a service that is down answers UNAVAILABLE at once instead of after the deadline), and
 * the channel's reconnection backoff is capped so a restarted service is found again within
 * `maxReconnectBackoffMs`. grpc-js is imported on first use, so proxies without a key service never load it.
 *
 * TLS files are read when the client is created: the CA bundle and certificate as they are, the client key
 * like key material (readKeySourceFile.ts: no access for others).
 */
import type * as Grpc from "@grpc/grpc-js";
import { readFile } from "node:fs/promises";
import { KeySourceError } from "../errors.ts";
import { readKeySourceFile } from "../readKeySourceFile.ts";
import { type GetDataKeyMethod, loadGetDataKeyMethod } from "./keyServiceApi.ts";
import type { KeyServiceTransport, ValidKeyServiceOptions } from "./keyServiceOptions.ts";

/** gRPC's own first reconnect delay is 1 s; never longer than the configured cap. */
const INITIAL_RECONNECT_BACKOFF_MS = 1000;

/** What the provider needs from a key service: the client below, or a stand-in in tests. */
export interface DataKeySource {
  readonly endpoint: string;
  /** `length` bytes the service derives for `id`; rejects with a grpc-js ServiceError (keyServiceFailure.ts). */
  getDataKey(id: string, length: number): Promise<Buffer>;
  close(): void;
}

export class KeyServiceClient implements DataKeySource {
  readonly endpoint: string;
  readonly #client: Grpc.Client;
  readonly #method: GetDataKeyMethod;
  readonly #timeoutMs: number;

  private constructor(endpoint: string, client: Grpc.Client, method: GetDataKeyMethod, timeoutMs: number) {
    this.endpoint = endpoint;
    this.#client = client;
    this.#method = method;
    this.#timeoutMs = timeoutMs;
  }

  static async create(options: ValidKeyServiceOptions): Promise<KeyServiceClient> {
    const grpc = await import("@grpc/grpc-js");
    const credentials = await channelCredentials(grpc, options.transport);
    const channelOptions: Record<string, string | number> = {
      "grpc.initial_reconnect_backoff_ms": Math.min(
        INITIAL_RECONNECT_BACKOFF_MS,
        options.maxReconnectBackoffMs,
      ),
      "grpc.max_reconnect_backoff_ms": options.maxReconnectBackoffMs,
    };
    if (options.transport.kind === "tls" && options.transport.serverName !== undefined) {
      channelOptions["grpc.ssl_target_name_override"] = options.transport.serverName;
    }
    const client = new grpc.Client(options.endpoint, credentials, channelOptions);
    return new KeyServiceClient(options.endpoint, client, await loadGetDataKeyMethod(), options.timeoutMs);
  }

  getDataKey(id: string, length: number): Promise<Buffer> {
    const method = this.#method;
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { data_key_id: id, length },
        { deadline: Date.now() + this.#timeoutMs },
        (err, response) => {
          if (err !== null) reject(err);
          else resolve(response?.data_key ?? Buffer.alloc(0));
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}

async function channelCredentials(
  grpc: typeof Grpc,
  transport: KeyServiceTransport,
): Promise<Grpc.ChannelCredentials> {
  if (transport.kind === "insecure") return grpc.credentials.createInsecure();
  const read = async (path: string | undefined, what: string): Promise<Buffer | null> => {
    if (path === undefined) return null;
    try {
      return await readFile(path);
    } catch (cause) {
      throw new KeySourceError(`the key service ${what} ${path} cannot be read`, { cause });
    }
  };
  const ca = await read(transport.caFile, "CA bundle");
  const cert = await read(transport.certFile, "client certificate");
  const key =
    transport.keyFile === undefined
      ? null
      : await readKeySourceFile(transport.keyFile, "owner-or-group-read");
  try {
    return grpc.credentials.createSsl(ca, key, cert);
  } catch (cause) {
    throw new KeySourceError(
      "the key service TLS files are not valid PEM (CA bundle, client certificate and key)",
      { cause },
    );
  }
}
