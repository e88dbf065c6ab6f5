/** What `rewrap` did with one listed object; the tally (rewrapTally.ts) and the progress lines read these. */

export interface ListedObject {
  readonly key: string;
  /** Set when listing versions (--all-versions). */
  readonly versionId?: string;
  /** False for a version that is not the current one (only with --all-versions). */
  readonly isLatest: boolean;
}

export type RewrapResult =
  /** The object's DEK is already wrapped by the active KEK. */
  | { readonly kind: "current"; readonly kekRef: string }
  /** Re-wrapped (or, with --dry-run, would be): `from` → `to`, by CopyObject or a multipart copy of N parts. */
  | {
      readonly kind: "rewrapped";
      readonly dryRun: boolean;
      readonly from: string;
      readonly to: string;
      readonly parts?: number;
    }
  /** No envelope: legacy plaintext, nothing to re-wrap. */
  | { readonly kind: "legacy" }
  /** --all-versions: a noncurrent version under an old KEK; versions are immutable, so it keeps it. */
  | { readonly kind: "noncurrent"; readonly kekRef: string }
  /** Deleted between listing and reading. */
  | { readonly kind: "gone" }
  /** Cannot be copied onto itself safely (size, part layout); keeps its old KEK. */
  | { readonly kind: "refused"; readonly from: string; readonly reason: string }
  | { readonly kind: "failed"; readonly code: string; readonly reason: string };

export interface RewrapOutcome {
  readonly object: ListedObject;
  readonly result: RewrapResult;
}
