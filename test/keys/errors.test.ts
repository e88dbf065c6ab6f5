/** Key error codes: each documented in docs/KEYS.md (fastify's rule), only unavailability is retryable. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  DekUnwrapError,
  KEY_ERROR_CODES,
  KekNotFoundError,
  KeyProviderError,
  KeyProviderUnavailableError,
  KeySourceError,
} from "../../src/keys/errors.ts";
import { parseKeyFile } from "../../src/keys/keyFileFormat.ts";

const doc = readFileSync(new URL("../../docs/KEYS.md", import.meta.url), "utf8");

void describe("key provider errors", () => {
  void it("are all documented in docs/KEYS.md, and nothing else is", () => {
    for (const code of Object.keys(KEY_ERROR_CODES)) {
      assert.match(
        doc,
        new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, "m"),
        `docs/KEYS.md lacks a row for ${code}`,
      );
    }
    const table = doc.slice(doc.indexOf("## Errors"));
    const documented = [...table.matchAll(/^\|\s*`([A-Za-z]+)`\s*\|/gm)].map((m) => m[1]!);
    assert.deepEqual(
      documented.filter((c) => !(c in KEY_ERROR_CODES)),
      [],
    );
  });

  void it("carry their code, class and retryability", () => {
    const cases: Array<[KeyProviderError, string, boolean]> = [
      [new KekNotFoundError("aeskw:x", "m"), "KekNotFound", false],
      [new DekUnwrapError("aeskw:x", "m"), "DekUnwrapFailed", false],
      [new KeyProviderUnavailableError("m"), "KeyProviderUnavailable", true],
      [new KeySourceError("m"), "KeySourceInvalid", false],
    ];
    for (const [err, code, retryable] of cases) {
      assert.ok(err instanceof KeyProviderError);
      assert.equal(err.code, code);
      assert.equal(err.retryable, retryable);
      assert.equal(err.name, err.constructor.name);
    }
  });
});

void describe("docs/KEYS.md", () => {
  void it("shows a key file example that parses", () => {
    const example = /### Key file\s+```json\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example !== undefined, "no key file example");
    assert.equal(parseKeyFile(example, "docs/KEYS.md").active, "prod-2025-06");
  });
});
