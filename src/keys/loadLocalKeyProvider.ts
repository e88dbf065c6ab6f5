/**
 * The three places local KEKs come from, as the CLI names them: a key file (`--key-file`), an environment
 * variable holding the same JSON or one `<id>:<base64>` key, and a mounted Secret directory (`--key-dir`).
 * Each loader checks permissions and every key rule before a provider exists.
 */
import { KeySourceError } from "./errors.ts";
import type { KeySet } from "./keySet.ts";
import { loadKeyDirectory } from "./loadKeyDirectory.ts";
import { loadKeyFile } from "./loadKeyFile.ts";
import { LocalKeyProvider } from "./LocalKeyProvider.ts";
import { parseKeyEnv } from "./parseKeyEnv.ts";

export type LocalKeySource =
  | { readonly kind: "file"; readonly path: string }
  | {
      readonly kind: "env";
      readonly name: string;
      readonly env: Readonly<Record<string, string | undefined>>;
    }
  | { readonly kind: "directory"; readonly path: string };

/** Suggested variable name; read it from process.env directly, never from a command-line flag (ps shows those). */
export const DEFAULT_KEYS_ENV = "S3PROXY_KEYS";

export function describeKeySource(source: LocalKeySource): string {
  switch (source.kind) {
    case "file":
      return `key file ${source.path}`;
    case "env":
      return `environment variable ${source.name}`;
    case "directory":
      return `key directory ${source.path}`;
  }
}

export async function loadLocalKeySet(source: LocalKeySource): Promise<KeySet> {
  switch (source.kind) {
    case "file":
      return loadKeyFile(source.path);
    case "directory":
      return loadKeyDirectory(source.path);
    case "env": {
      const value = source.env[source.name];
      if (value === undefined || value.trim() === "") {
        throw new KeySourceError(`${describeKeySource(source)} is not set`);
      }
      return parseKeyEnv(value, source.name);
    }
  }
}

export async function loadLocalKeyProvider(source: LocalKeySource): Promise<LocalKeyProvider> {
  return new LocalKeyProvider(await loadLocalKeySet(source), describeKeySource(source));
}
