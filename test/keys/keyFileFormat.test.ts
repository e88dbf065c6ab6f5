/** The key file format: strict parsing, every validation rule, and messages that never carry key bytes. */
import assert from "node:assert/strict";
import { createSecretKey } from "node:crypto";
import { describe, it } from "node:test";
import { parseKeyFile, serializeKeyFile } from "../../src/keys/keyFileFormat.ts";
import { validateKeySet } from "../../src/keys/keySet.ts";
import { keyBytes, sourceError, testKeySet } from "./helpers.ts";

const SOURCE = "key file /etc/s3proxy/keys.json";
const set = testKeySet(["prod-2024", "prod-2025"], "prod-2025");
const [k2024, k2025] = keyBytes(set) as [Buffer, Buffer];
const b64 = (b: Buffer): string => b.toString("base64");

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** The same 32 bytes with a non-zero unused low bit in the last character (Node would decode it). */
function nonCanonical(text: string): string {
  const last = ALPHABET.indexOf(text[42] ?? "A");
  return `${text.slice(0, 42)}${ALPHABET[(last & 0x30) | 1]}=`;
}

function doc(value: unknown): string {
  return JSON.stringify(value);
}
const good = {
  version: 1,
  active: "prod-2025",
  keys: [
    { id: "prod-2024", key: b64(k2024) },
    { id: "prod-2025", key: b64(k2025) },
  ],
};

void describe("key file format", () => {
  void it("parses a valid file, keeping key order", () => {
    const parsed = parseKeyFile(doc(good), SOURCE);
    assert.equal(parsed.active, "prod-2025");
    assert.deepEqual(
      parsed.keys.map((k) => k.id),
      ["prod-2024", "prod-2025"],
    );
    assert.deepEqual(keyBytes(parsed), [k2024, k2025]);
  });

  void it("serializes to the documented layout and back", () => {
    const text = serializeKeyFile(set);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(JSON.parse(text), good);
    assert.deepEqual(keyBytes(parseKeyFile(text, SOURCE)), [k2024, k2025]);
  });

  void it("holds keys as KeyObjects, so a logged key set shows no bytes", () => {
    const parsed = parseKeyFile(doc(good), SOURCE);
    assert.doesNotMatch(JSON.stringify(parsed), new RegExp(b64(k2024).slice(0, 20).replace(/[+/]/g, "\\$&")));
    assert.equal(JSON.stringify(parsed.keys[0]?.key), "{}");
  });

  const refused: Array<[string, string, RegExp]> = [
    [
      "not JSON, and the snippet V8 would quote is not repeated",
      `{"version": 1, "active": x${b64(k2024)}}`,
      /not valid JSON/,
    ],
    ["a truncated document", doc(good).slice(0, 60), /not valid JSON: it ends early|not valid JSON/],
    ["a JSON array", "[]", /is not a JSON object/],
    ["an unknown top-level field", doc({ ...good, activ: "x" }), /unknown field "activ"/],
    [
      "an unknown field named like a key",
      doc({ ...good, [b64(k2024)]: 1 }),
      /unknown field \(a field name that is not shown\)/,
    ],
    ["version 2", doc({ ...good, version: 2 }), /"version" is 2; this build reads key file version 1/],
    ["a missing version", doc({ active: good.active, keys: good.keys }), /"version" is missing/],
    ["a missing active", doc({ version: 1, keys: good.keys }), /no string "active"/],
    [
      "keys as an object keyed by id",
      doc({ ...good, keys: { "prod-2024": b64(k2024) } }),
      /"keys" must be an array/,
    ],
    ["an entry that is not an object", doc({ ...good, keys: [b64(k2024)] }), /keys\[0\] is not an object/],
    [
      "an entry with an extra field",
      doc({ ...good, keys: [{ id: "a1", key: b64(k2024), created: "x" }] }),
      /keys\[0\] has an unknown field "created"/,
    ],
    ["an entry without id", doc({ ...good, keys: [{ key: b64(k2024) }] }), /keys\[0\] has no string "id"/],
    [
      "an entry without key",
      doc({ ...good, keys: [{ id: "a1" }] }),
      /keys\[0\] \(id "a1"\) has no string "key"/,
    ],
    [
      "a 31-byte key",
      doc({ ...good, keys: [{ id: "prod-2025", key: b64(k2025.subarray(0, 31)) }] }),
      /keys\[0\] \(id "prod-2025"\): "key" is not the base64 of 32 bytes \(44 characters/,
    ],
    [
      "a 33-byte key",
      doc({ ...good, keys: [{ id: "prod-2025", key: b64(Buffer.concat([k2025, k2024.subarray(0, 1)])) }] }),
      /not the base64 of 32 bytes/,
    ],
    [
      "a base64url key",
      doc({ ...good, keys: [{ id: "prod-2025", key: Buffer.alloc(32, 0xfb).toString("base64url") }] }),
      /not the base64 of 32 bytes/,
    ],
    [
      "a key with a newline",
      doc({ ...good, keys: [{ id: "prod-2025", key: `${b64(k2025)}\n` }] }),
      /not the base64 of 32 bytes/,
    ],
    [
      "non-canonical trailing bits",
      doc({ ...good, keys: [{ id: "prod-2025", key: nonCanonical(b64(k2025)) }] }),
      /not the base64 of 32 bytes/,
    ],
    [
      "an all-zero key",
      doc({ version: 1, active: "zero", keys: [{ id: "zero", key: b64(Buffer.alloc(32)) }] }),
      /key "zero" is all zeros: refused/,
    ],
    [
      "a duplicated id",
      doc({
        ...good,
        keys: [
          { id: "prod-2025", key: b64(k2024) },
          { id: "prod-2025", key: b64(k2025) },
        ],
      }),
      /key id "prod-2025" appears more than once/,
    ],
    [
      "the same key under two ids",
      doc({
        ...good,
        keys: [
          { id: "a1", key: b64(k2024) },
          { id: "prod-2025", key: b64(k2024) },
        ],
      }),
      /keys "a1" and "prod-2025" are the same key/,
    ],
    [
      "an active id that is not a key",
      doc({ ...good, active: "prod-2026" }),
      /the active key "prod-2026" is not one of its keys/,
    ],
    [
      "an active value that is not an id",
      doc({ ...good, active: b64(k2024) }),
      /the active key \(an invalid id\) is not one of its keys/,
    ],
    ["no keys", doc({ version: 1, active: "a1", keys: [] }), /holds no keys/],
  ];
  for (const [what, text, pattern] of refused) {
    void it(`refuses ${what}, naming the file and never the key bytes`, async () => {
      await sourceError(
        () => parseKeyFile(text, SOURCE),
        [new RegExp(`^key file /etc/s3proxy/keys\\.json`), pattern],
        [k2024, k2025],
      );
    });
  }

  void it("reports where JSON breaks by line and column", async () => {
    const text = `{\n  "version": 1,\n  "active": "a1"\n  "keys": []\n}`;
    await sourceError(
      () => parseKeyFile(text, SOURCE),
      [/not valid JSON: Expected ',' or '}' after property value at line 4, column 3/],
    );
  });

  const badIds = [
    ".hidden",
    "..",
    ".",
    "-flag",
    "a/b",
    "a:b",
    "a b",
    "é",
    "x".repeat(65),
    "",
    "active",
    b64(k2024),
  ];
  for (const id of badIds) {
    void it(`refuses the key id ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…` : id)} without repeating it`, async () => {
      const text = doc({
        version: 1,
        active: "a1",
        keys: [
          { id: "a1", key: b64(k2025) },
          { id, key: b64(k2024) },
        ],
      });
      const err = await sourceError(
        () => parseKeyFile(text, SOURCE),
        [/a key id is invalid/, /1-64 characters/],
        [k2024, k2025],
      );
      if (id.length > 2 && id !== "active")
        assert.ok(!err.message.includes(id), "the invalid id is not echoed");
    });
  }

  void it("accepts ids at the limits of the rule", () => {
    for (const id of ["a", "0", "A.b_c-d", "x".repeat(64), "dev-20250614-3fa94c0e"]) {
      assert.equal(
        validateKeySet({ active: id, keys: [{ id, key: createSecretKey(k2024) }] }, SOURCE).active,
        id,
      );
    }
  });

  void it("refuses a secret key of another length handed in directly", async () => {
    await sourceError(
      () =>
        validateKeySet(
          { active: "a1", keys: [{ id: "a1", key: createSecretKey(k2024.subarray(0, 16)) }] },
          SOURCE,
        ),
      [/key "a1" is 16 bytes, not 32 \(AES-256\)/],
      [k2024],
    );
  });
});
