/**
 * Configuration of the `grpc` key provider (docs/KEYS.md "Key service"), as the CLI builds it from
 * `--keyservice-*` flags, and its validation. KEK ids become part of every object's reference (`grpc:<id>`),
 * so they follow the KEK id rules of local keys.
 */
import { KeySourceError } from "../errors.ts";
import { isValidKekId, KEK_ID_RULE } from "../keySet.ts";

export type KeyServiceTransport =
  /** Plain HTTP/2, as Constellation's s3proxy talked to its keyservice inside the cluster. */
  | { readonly kind: "insecure" }
  | {
      readonly kind: "tls";
      /** PEM CA bundle to verify the service with; default: Node's built-in roots. */
      readonly caFile?: string;
      /** PEM client certificate and key, for services that require mutual TLS. */
      readonly certFile?: string;
      readonly keyFile?: string;
      /** Expected name in the service's certificate, when it differs from the endpoint's host. */
      readonly serverName?: string;
    };

export interface KeyServiceProviderOptions {
  /** `host:port` (`[v6]:port` for IPv6) of the key service (`--keyservice-endpoint`). */
  readonly endpoint: string;
  readonly transport: KeyServiceTransport;
  /** data_key_id of the KEK new DEKs are wrapped with (`--keyservice-kek`). */
  readonly activeKekId: string;
  /** Ids of older KEKs that still unwrap (`--keyservice-old-kek`, repeatable). */
  readonly oldKekIds?: readonly string[];
  /** Deadline of one GetDataKey call, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** Longest wait between reconnection attempts of the gRPC channel, in ms (default 10000). */
  readonly maxReconnectBackoffMs?: number;
}

export interface ValidKeyServiceOptions {
  readonly endpoint: string;
  readonly transport: KeyServiceTransport;
  readonly activeKekId: string;
  readonly oldKekIds: readonly string[];
  readonly timeoutMs: number;
  readonly maxReconnectBackoffMs: number;
}

export const DEFAULT_KEYSERVICE_TIMEOUT_MS = 5000;
export const DEFAULT_KEYSERVICE_MAX_BACKOFF_MS = 10_000;

const ENDPOINT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::([0-9]{1,5}))$/;

export function validateKeyServiceOptions(options: KeyServiceProviderOptions): ValidKeyServiceOptions {
  const port = ENDPOINT.exec(options.endpoint)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
    throw new KeySourceError(
      `the key service endpoint "${options.endpoint}" is not host:port (e.g. keyservice.kube-system:9000)`,
    );
  }
  const oldKekIds = options.oldKekIds ?? [];
  const ids = [options.activeKekId, ...oldKekIds];
  ids.forEach((id, i) => {
    if (!isValidKekId(id)) {
      // The value is not repeated, in case a secret was pasted in the wrong place (as for local key ids).
      const which = i === 0 ? "the active key service KEK id" : `old key service KEK id #${i}`;
      throw new KeySourceError(
        `${which} (${id.length} characters) is invalid: it names the KEK in every object (grpc:<id>), ` +
          `so it is ${KEK_ID_RULE}`,
      );
    }
  });
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    throw new KeySourceError(`the key service KEK id "${duplicate}" is given twice`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYSERVICE_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new KeySourceError("the key service timeout must be a positive number of milliseconds");
  }
  const maxReconnectBackoffMs = options.maxReconnectBackoffMs ?? DEFAULT_KEYSERVICE_MAX_BACKOFF_MS;
  if (!Number.isFinite(maxReconnectBackoffMs) || maxReconnectBackoffMs < 1) {
    throw new KeySourceError("the key service reconnect backoff must be a positive number of milliseconds");
  }
  const { transport } = options;
  if (transport.kind === "tls" && (transport.certFile === undefined) !== (transport.keyFile === undefined)) {
    throw new KeySourceError("a key service client certificate needs both a certificate and a key file");
  }
  return {
    endpoint: options.endpoint,
    transport,
    activeKekId: options.activeKekId,
    oldKekIds,
    timeoutMs,
    maxReconnectBackoffMs,
  };
}
