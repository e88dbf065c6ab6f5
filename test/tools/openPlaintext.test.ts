/**
 * openPlaintext against in-memory objects made by the format module: whole objects and ranges of single-part
 * and multipart objects come out byte-identical and fetch only the records they need (plus record 0 for a
 * multipart range past it); the sealed MD5 is checked; a tampered record releases nothing of itself; legacy
 * objects are refused unless allowed.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import {
  createEnvelope,
  decodeEnvelopeHeader,
  encodeBase64url,
  isCryptoError,
  META_MD5,
  openObjectKeys,
  recordSize,
  sealPlaintextMd5,
} from "../../src/crypto/index.ts";
import { dekContextFor } from "../../src/keys/index.ts";
import { openPlaintext, type PlaintextStreams } from "../../src/tools/openPlaintext.ts";
import { parsePlaintextRange } from "../../src/tools/parsePlaintextRange.ts";
import { ToolError } from "../../src/tools/ToolError.ts";
import { encryptedObject, memoryObject, testProvider } from "./storedObjectFixture.ts";

const provider = testProvider();
const keys = () => Promise.resolve(provider);
const S = 4096; // e = 12
const R = recordSize(12);

async function drain(p: PlaintextStreams): Promise<Buffer> {
  const out = new PassThrough();
  const [data] = await Promise.all([buffer(out), pipeline([p.source, ...p.transforms, out])]);
  return data;
}

describe("openPlaintext", () => {
  it("decrypts a single-part object whole, and any range with only the records it touches", async () => {
    const plain = randomBytes(10 * S + 123);
    const { stored, metadata } = await encryptedObject(provider, plain);
    const whole = memoryObject(stored, metadata);
    assert.ok((await drain(await openPlaintext(whole, { keys }))).equals(plain));
    assert.deepEqual(whole.reads, [[0, stored.length]]);
    for (const [a, b] of [
      [0, 0],
      [1, 4095],
      [4095, 4096],
      [S + 7, 3 * S + 1],
      [10 * S, 10 * S + 122],
      [5, 10 * S + 122],
    ] as const) {
      const object = memoryObject(stored, metadata);
      const got = await drain(await openPlaintext(object, { keys, range: parsePlaintextRange(`${a}-${b}`) }));
      assert.ok(got.equals(plain.subarray(a, b + 1)), `${a}-${b}`);
      const first = Math.floor(a / S);
      const last = b === plain.length - 1 ? 10 : Math.floor(b / S);
      const end = last === 10 ? stored.length : (last + 1) * R;
      assert.deepEqual(object.reads, [[first * R, end]], `${a}-${b} reads`);
    }
  });

  it("decrypts a multipart object; a range past record 0 reads record 0 for K first", async () => {
    const plain = randomBytes(7 * S + 99);
    const { stored, metadata } = await encryptedObject(provider, plain, {
      layout: "multipart",
      partSize: 2 * S,
    });
    assert.ok((await drain(await openPlaintext(memoryObject(stored, metadata), { keys }))).equals(plain));
    const object = memoryObject(stored, metadata);
    const got = await drain(
      await openPlaintext(object, { keys, range: parsePlaintextRange(`${5 * S + 1}-`) }),
    );
    assert.ok(got.equals(plain.subarray(5 * S + 1)));
    assert.deepEqual(object.reads, [
      [0, R],
      [5 * R, stored.length],
    ]);
  });

  it("checks the sealed MD5 of a whole object, and not of a range", async () => {
    const plain = randomBytes(3 * S);
    const { stored, metadata } = await encryptedObject(provider, plain, { sealMd5: true });
    const opened = await openPlaintext(memoryObject(stored, metadata), { keys });
    assert.equal(opened.md5Checked, true);
    assert.ok((await drain(opened)).equals(plain));
    const ranged = await openPlaintext(memoryObject(stored, metadata), {
      keys,
      range: parsePlaintextRange("0-9"),
    });
    assert.equal(ranged.md5Checked, false);

    // A sealed MD5 from another envelope fails authentication before any byte goes out.
    const { header, dek } = createEnvelope({ layout: "single", segmentExponent: 12 });
    const foreign = sealPlaintextMd5(openObjectKeys(header, dek), createHash("md5").update(plain).digest());
    await assert.rejects(
      openPlaintext(memoryObject(stored, { ...metadata, [META_MD5]: encodeBase64url(foreign) }), { keys }),
      (err: unknown) => isCryptoError(err) && err.code === "DecryptAuthFailed",
    );
  });

  it("fails with PlaintextMd5Mismatch when the sealed MD5 is authentic but not the plaintext's", async () => {
    const plain = randomBytes(2 * S);
    const { stored, metadata } = await encryptedObject(provider, plain, { sealMd5: true });
    // Re-seal another MD5 under the object's own DEK: the only way to get an authentic wrong value.
    const header = decodeEnvelopeHeader(Buffer.from(metadata["x-amz-meta-s3proxy-hdr"]!, "base64url"));
    const dek = await provider.unwrapDek(
      metadata["x-amz-meta-s3proxy-kek"]!,
      Buffer.from(metadata["x-amz-meta-s3proxy-dek"]!, "base64url"),
      dekContextFor(header),
    );
    const objectKeys = openObjectKeys(header, dek);
    const wrong = sealPlaintextMd5(objectKeys, createHash("md5").update("not the plaintext").digest());
    const opened = await openPlaintext(
      memoryObject(stored, { ...metadata, [META_MD5]: encodeBase64url(wrong) }),
      {
        keys,
      },
    );
    await assert.rejects(
      drain(opened),
      (err: unknown) => err instanceof ToolError && err.code === "PlaintextMd5Mismatch",
    );
  });

  it("never releases plaintext of a record that fails authentication", async () => {
    const plain = randomBytes(4 * S);
    const { stored, metadata } = await encryptedObject(provider, plain);
    const bad = Buffer.from(stored);
    bad[2 * R + 100] = (bad[2 * R + 100] ?? 0) ^ 1; // inside record 2
    const opened = await openPlaintext(memoryObject(bad, metadata), { keys });
    const out = new PassThrough();
    const got: Buffer[] = [];
    out.on("data", (d: Buffer) => got.push(d));
    await assert.rejects(
      pipeline([opened.source, ...opened.transforms, out]),
      (err: unknown) => isCryptoError(err) && err.code === "DecryptAuthFailed",
    );
    const released = Buffer.concat(got);
    assert.ok(released.length <= 2 * S, `released ${released.length} bytes`);
    assert.ok(released.equals(plain.subarray(0, released.length)));
  });

  it("refuses a legacy object unless plaintext is allowed, and then copies it as stored (ranges too)", async () => {
    const stored = Buffer.from("plain old object");
    let asked = false;
    const noKeys = () => {
      asked = true;
      return Promise.reject(new Error("no keys needed"));
    };
    await assert.rejects(
      openPlaintext(memoryObject(stored, { "x-amz-meta-owner": "me" }), { keys: noKeys }),
      (err: unknown) => err instanceof ToolError && err.code === "NotEncrypted",
    );
    const all = await openPlaintext(memoryObject(stored, {}), { keys: noKeys, allowPlaintext: true });
    assert.ok((await drain(all)).equals(stored));
    const part = await openPlaintext(memoryObject(stored, {}), {
      keys: noKeys,
      allowPlaintext: true,
      range: parsePlaintextRange("6-8"),
    });
    assert.equal((await drain(part)).toString(), "old");
    assert.equal(asked, false);
  });

  it("reports a wrong KEK and a malformed envelope with their typed codes", async () => {
    const { stored, metadata } = await encryptedObject(provider, randomBytes(100));
    const other = () => Promise.resolve(testProvider(["kek-b"]));
    await assert.rejects(openPlaintext(memoryObject(stored, metadata), { keys: other }), {
      code: "KekNotFound",
    });
    await assert.rejects(
      openPlaintext(memoryObject(stored, { ...metadata, "x-amz-meta-s3proxy-hdr": "!!" }), { keys }),
      { code: "FormatMalformedEnvelope" },
    );
  });
});
