/** Keys from an environment variable: the key file JSON or `<id>:<base64>`, never echoed back in errors. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serializeKeyFile } from "../../src/keys/keyFileFormat.ts";
import { loadLocalKeySet } from "../../src/keys/loadLocalKeyProvider.ts";
import { parseKeyEnv } from "../../src/keys/parseKeyEnv.ts";
import { keyBytes, sourceError, testKeySet } from "./helpers.ts";

const set = testKeySet(["ci-2025", "ci-2026"], "ci-2026");
const [k1] = keyBytes(set) as [Buffer];
const single = `ci-2025:${k1.toString("base64")}`;

void describe("parseKeyEnv", () => {
  void it("reads a whole key file document", () => {
    const parsed = parseKeyEnv(serializeKeyFile(set), "S3PROXY_KEYS");
    assert.equal(parsed.active, "ci-2026");
    assert.deepEqual(keyBytes(parsed), keyBytes(set));
  });

  void it("reads one key as <id>:<base64>, which is then active; surrounding whitespace is ignored", () => {
    for (const value of [single, `${single}\n`, `  ${single}\r\n`]) {
      const parsed = parseKeyEnv(value, "S3PROXY_KEYS");
      assert.equal(parsed.active, "ci-2025");
      assert.deepEqual(keyBytes(parsed), [k1]);
    }
  });

  const refused: Array<[string, string, RegExp]> = [
    [
      "a bare base64 key",
      k1.toString("base64"),
      /expected a key file JSON document or "<id>:<base64 of 32 bytes>" \(the value is not shown\)/,
    ],
    ["an invalid id", `.x:${k1.toString("base64")}`, /the id before ":" is invalid/],
    [
      "a key id pasted twice",
      `${k1.toString("base64")}:${k1.toString("base64")}`,
      /the id before ":" is invalid/,
    ],
    [
      "a short key",
      `ci-2025:${k1.subarray(0, 16).toString("base64")}`,
      /the key after "ci-2025:" is not the base64 of 32 bytes/,
    ],
    ["a hex key", `ci-2025:${k1.toString("hex")}`, /is not the base64 of 32 bytes/],
    ["an all-zero key", `zero:${Buffer.alloc(32).toString("base64")}`, /key "zero" is all zeros/],
    [
      "broken JSON",
      `{"version":1,"active":"a","keys":[{"id":"a","key":"${k1.toString("base64")}"}`,
      /not valid JSON/,
    ],
  ];
  for (const [what, value, pattern] of refused) {
    void it(`refuses ${what}, naming the variable and not its value`, async () => {
      await sourceError(
        () => parseKeyEnv(value, "S3PROXY_KEYS"),
        [/^environment variable S3PROXY_KEYS: /, pattern],
        [k1],
      );
    });
  }

  void it("says when the variable is missing or empty", async () => {
    for (const env of [{}, { S3PROXY_KEYS: "" }, { S3PROXY_KEYS: " \n" }]) {
      await sourceError(loadLocalKeySet({ kind: "env", name: "S3PROXY_KEYS", env }), [
        /^environment variable S3PROXY_KEYS is not set$/,
      ]);
    }
  });
});
