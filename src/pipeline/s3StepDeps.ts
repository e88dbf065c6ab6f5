/**
 * What the encrypting step needs beyond the exchange itself: the key provider that wraps and unwraps DEKs, the
 * proxy's own credentials (the body changes, so the client's signature cannot be forwarded) and the region to
 * sign for when the S3 host does not name one (custom endpoints, the global `s3.amazonaws.com`).
 */
import type { KeyProvider } from "../keys/index.ts";
import type { LegacyReader } from "../legacy/index.ts";
import type { ListSizesPolicy } from "../listing/listSizesPolicy.ts";
import type { ProxyCredentials } from "../sigv4/refreshingCredentials.ts";

export interface S3StepDeps {
  readonly keys: KeyProvider;
  readonly credentials: ProxyCredentials;
  /** Signing region when the host does not carry one. */
  readonly region: string;
  /** How long pass-through exchanges wait for the upstream's 100 Continue. */
  readonly continueTimeoutMs: number;
  /** Milliseconds since the epoch; injected by tests (presigned URL validity). Default Date.now. */
  readonly now?: () => number;
  /** How LIST answers show sizes and ETags (`--list-sizes`); default DEFAULT_LIST_SIZES (`head`). */
  readonly listSizes?: ListSizesPolicy;
  /**
   * Objects written by Constellation's Go s3proxy (docs/LEGACY.md): their KEKs and read limits. Unset: such
   * objects are answered ProxyLegacyKekMissing, never served as stored.
   */
  readonly legacy?: LegacyReader;
}
