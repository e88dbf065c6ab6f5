/**
 * Typed failures of the offline tools (`inspect`, `decrypt`, `rewrap`; docs/KEYS.md "Offline tools"). Each has
 * a stable code the summary and the exit message name. Format, key and decrypt failures keep their own typed
 * errors (CryptoError, KeyProviderError) and codes; these cover what only the tools do.
 */

export const TOOL_ERROR_CODES = {
  ToolUsage:
    "An argument is malformed or the inputs do not fit together (an S3 URL, a range, a file length).",
  NotEncrypted: "The object carries no s3proxy envelope (legacy plaintext); decrypt needs --allow-plaintext.",
  MetadataInvalid:
    "The metadata JSON given with a local file is not a map of strings or not head-object output.",
  ObjectChanged: "The object was overwritten while the tool read or copied it (S3 answered 412); run again.",
  S3RequestFailed:
    "S3 refused or failed a request; the message names the operation, status and S3 error code.",
  PlaintextMd5Mismatch: "The decrypted plaintext does not have the MD5 sealed in x-amz-meta-s3proxy-md5.",
  OutputExists: "The output file exists; decrypt does not overwrite without --force.",
  ResumeFileMismatch:
    "The resume file belongs to another rewrap run (bucket, prefix or --all-versions differ).",
  CopyRefused: "The object cannot be copied onto itself safely (size or part layout); it keeps its old KEK.",
  MetadataTooLarge:
    "The re-wrapped envelope and the user's metadata together exceed S3's 2 KB metadata limit.",
} as const;

export type ToolErrorCode = keyof typeof TOOL_ERROR_CODES;

export class ToolError extends Error {
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ToolError";
    this.code = code;
  }
}

/** The stable code of any error the tools report: ours, the format's, the key providers', S3's, else its name. */
export function errorCode(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    const name = (err as { name?: unknown }).name;
    if (typeof name === "string" && name !== "" && name !== "Error") return name;
  }
  return "Error";
}
