/**
 * The `pkcs11` provider beyond the shared contract, on SoftHSM 2 tokens created for this file: what the wrapped
 * bytes are (RFC 3394 over DEK || context tag, checked in software with a key of known value), start-up errors
 * (wrong PIN, missing or unsuitable key, unknown token, bad options), and a token that goes away and comes
 * back. No error may contain the PIN.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aesKeyWrap } from "../../src/crypto/index.ts";
import { buildKeyRing } from "../../src/keys/buildKeyRing.ts";
import type { DekContext } from "../../src/keys/dekContext.ts";
import { isKeyProviderError, type KeyErrorCode } from "../../src/keys/errors.ts";
import {
  openPkcs11KeyProvider,
  PKCS11_SCHEME,
  type Pkcs11KeyProvider,
} from "../../src/keys/Pkcs11KeyProvider.ts";
import {
  CKA_EXTRACTABLE,
  CKA_SENSITIVE,
  CKA_VALUE_LEN,
  CKA_WRAP,
} from "../../src/keys/pkcs11/pkcs11Constants.ts";
import type { Pkcs11ProviderOptions } from "../../src/keys/pkcs11/pkcs11Options.ts";
import { activeKekProvider } from "../../src/keys/keyRingConfig.ts";
import { remoteKeyProviders } from "../../src/keys/remoteKeyProviders.ts";
import type { Pkcs11Attribute } from "../../src/keys/pkcs11/pkcs11Templates.ts";
import { pkcs11WrapPayload } from "../../src/keys/pkcs11/pkcs11WrapPayload.ts";
import { errorTexts, seededRandom, tempDir, writeWithMode } from "./helpers.ts";
import { SOFTHSM_MODULE, SOFTHSM_PIN, SoftHsm, softHsmMissing } from "./softHsm.ts";

const MAIN = "s3proxy-main";
const LOGIN = "s3proxy-login";
const REMOVABLE = "s3proxy-removable";
const missing = softHsmMissing();

function contextOf(seed: string): DekContext {
  return { formatVersion: 1, salt: Buffer.from(seededRandom(`salt/${seed}`)(32)) };
}
function dekOf(seed: string): Buffer {
  return Buffer.from(seededRandom(`dek/${seed}`)(32));
}

async function failure(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail("expected a failure");
}

/** Asserts the code and that no form of the PIN is in anything a log could show. */
function assertFails(err: Error, code: KeyErrorCode, patterns: readonly RegExp[] = []): void {
  assert.ok(isKeyProviderError(err, code), `expected ${code}, got ${errorTexts(err).split("\n")[0]}`);
  for (const pattern of patterns) assert.match(err.message, pattern);
  const texts = errorTexts(err);
  for (const pin of [SOFTHSM_PIN, "wrong-pin-0000"]) {
    for (const form of [pin, Buffer.from(pin).toString("hex"), Buffer.from(pin).toString("base64")]) {
      assert.ok(!texts.includes(form), "an error contains the PIN");
    }
  }
}

void describe("Pkcs11KeyProvider on SoftHSM 2", { skip: missing }, () => {
  let hsm: SoftHsm;
  const opened: Pkcs11KeyProvider[] = [];
  const options = (overrides: Partial<Pkcs11ProviderOptions> = {}): Pkcs11ProviderOptions => ({
    module: SOFTHSM_MODULE,
    token: { label: MAIN },
    pin: { kind: "env", name: "PIN", env: { PIN: SOFTHSM_PIN } },
    activeKeyLabel: "main-2025",
    oldKeyLabels: ["main-2024"],
    ...overrides,
  });
  const open = async (overrides: Partial<Pkcs11ProviderOptions> = {}): Promise<Pkcs11KeyProvider> => {
    const provider = await openPkcs11KeyProvider(options(overrides));
    opened.push(provider);
    return provider;
  };
  const adjust =
    (changes: Record<number, Pkcs11Attribute["value"]>) =>
    (template: Pkcs11Attribute[]): Pkcs11Attribute[] =>
      template.map((a) => (a.type in changes ? { type: a.type, value: changes[a.type]! } : a));

  before(async () => {
    hsm = await SoftHsm.create([MAIN, LOGIN, REMOVABLE]);
    for (const label of ["main-2024", "main-2025"]) await hsm.generateKey(MAIN, label);
    await hsm.generateKey(LOGIN, "login-kek");
    await hsm.generateKey(REMOVABLE, "removable-kek");
    await hsm.generateKey(MAIN, "extractable", adjust({ [CKA_EXTRACTABLE]: true }));
    await hsm.generateKey(MAIN, "not-sensitive", adjust({ [CKA_SENSITIVE]: false }));
    await hsm.generateKey(MAIN, "aes-128", adjust({ [CKA_VALUE_LEN]: 16 }));
    await hsm.generateKey(MAIN, "unwrap-only", adjust({ [CKA_WRAP]: false }));
    await hsm.generateKey(MAIN, "twice");
    await hsm.generateKey(MAIN, "twice");
  });
  after(async () => {
    for (const provider of opened) await provider.close();
  });

  void describe("wrapped DEKs", () => {
    void it("are RFC 3394 AES key wrap of DEK || context tag: 56 bytes, checked in software", async () => {
      const kek = Buffer.from(seededRandom("known kek")(32));
      await hsm.importKey(MAIN, "known-value", kek);
      const provider = await open({ activeKeyLabel: "known-value", oldKeyLabels: [] });
      const dek = dekOf("known");
      const context = contextOf("known");
      const { kekRef, wrappedDek } = await provider.wrapDek(dek, context);
      assert.equal(kekRef, `${PKCS11_SCHEME}:known-value`);
      assert.equal(wrappedDek.length, 56);
      assert.deepEqual(wrappedDek, aesKeyWrap(kek, pkcs11WrapPayload(dek, context)));
      assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dek);
    });

    void it("refuse another object's context with DekUnwrapFailed, saying why", async () => {
      const provider = await open();
      const { kekRef, wrappedDek } = await provider.wrapDek(dekOf("ctx"), contextOf("ctx"));
      const err = await failure(provider.unwrapDek(kekRef, wrappedDek, contextOf("other")));
      assertFails(err, "DekUnwrapFailed", [/another object's DEK context/]);
      const version2 = { ...contextOf("ctx"), formatVersion: 2 };
      assertFails(await failure(provider.unwrapDek(kekRef, wrappedDek, version2)), "DekUnwrapFailed");
    });

    void it("unwrap under old keys, including one that may no longer wrap", async () => {
      const old = await open({ activeKeyLabel: "main-2025", oldKeyLabels: [] });
      const wrapped = await old.wrapDek(dekOf("old"), contextOf("old"));
      const rotated = await open({ activeKeyLabel: "main-2024", oldKeyLabels: ["main-2025", "unwrap-only"] });
      assert.deepEqual(rotated.listKekIds(), ["main-2024", "main-2025", "unwrap-only"]);
      assert.deepEqual(
        await rotated.unwrapDek(wrapped.kekRef, wrapped.wrappedDek, contextOf("old")),
        dekOf("old"),
      );
      assert.equal((await rotated.wrapDek(dekOf("new"), contextOf("new"))).kekRef, "pkcs11:main-2024");
    });

    void it("are refused with KeyInvalid when the DEK is not 32 bytes", async () => {
      const provider = await open();
      const err = await failure(provider.wrapDek(Buffer.alloc(16, 1), contextOf("short")));
      assert.equal((err as { code?: unknown }).code, "KeyInvalid");
    });
  });

  void describe("start-up", () => {
    void it("refuses a wrong PIN with KeySourceInvalid, without the PIN, and does not lock the token", async () => {
      for (let i = 0; i < 3; i += 1) {
        const err = await failure(
          open({
            token: { label: LOGIN },
            activeKeyLabel: "login-kek",
            oldKeyLabels: [],
            pin: { kind: "env", name: "PIN", env: { PIN: "wrong-pin-0000" } },
          }),
        );
        assertFails(err, "KeySourceInvalid", [/refused the user PIN/, /CKR_PIN_INCORRECT/, /s3proxy-login/]);
      }
      const provider = await open({ token: { label: LOGIN }, activeKeyLabel: "login-kek", oldKeyLabels: [] });
      assert.equal(provider.activeKekId(), "login-kek");
    });

    void it("reads the PIN from a file with owner-only or group-read mode, and refuses others", async () => {
      const dir = await tempDir();
      const good = join(dir, "pin");
      await writeWithMode(good, `${SOFTHSM_PIN}\n`, 0o600);
      await open({ pin: { kind: "file", path: good } });
      await writeWithMode(good, `${SOFTHSM_PIN}\n`, 0o440);
      await open({ pin: { kind: "file", path: good } });
      const open644 = join(dir, "pin644");
      await writeWithMode(open644, SOFTHSM_PIN, 0o644);
      assertFails(await failure(open({ pin: { kind: "file", path: open644 } })), "KeySourceInvalid", [
        /mode 0644/,
      ]);
      const empty = join(dir, "empty");
      await writeWithMode(empty, "\n", 0o600);
      assertFails(await failure(open({ pin: { kind: "file", path: empty } })), "KeySourceInvalid", [
        /is empty/,
      ]);
      assertFails(
        await failure(open({ pin: { kind: "env", name: "S3PROXY_PKCS11_PIN", env: {} } })),
        "KeySourceInvalid",
        [/S3PROXY_PKCS11_PIN is not set/],
      );
    });

    void it("refuses a missing key label, naming it and the token", async () => {
      const err = await failure(open({ oldKeyLabels: ["main-2024", "no-such-label"] }));
      assertFails(err, "KeySourceInvalid", [
        /no secret key labelled "no-such-label"/,
        /token "s3proxy-main"/,
      ]);
    });

    void it("refuses keys that could leave the token or cannot wrap", async () => {
      const cases: Array<[string, RegExp]> = [
        ["extractable", /CKA_EXTRACTABLE is true/],
        ["not-sensitive", /CKA_SENSITIVE is false/],
        ["aes-128", /not 256 bits/],
        ["unwrap-only", /CKA_WRAP is false/],
        ["twice", /more than one secret key labelled "twice"/],
      ];
      for (const [label, pattern] of cases) {
        const err = await failure(open({ activeKeyLabel: label, oldKeyLabels: [] }));
        assertFails(err, "KeySourceInvalid", [pattern]);
      }
    });

    void it("finds the token by slot id, and refuses unknown tokens, slots and modules", async () => {
      const provider = await open({ token: { slotId: await hsm.slotId(MAIN) } });
      assert.equal(provider.activeKekId(), "main-2025");
      assertFails(await failure(open({ token: { label: "nope" } })), "KeySourceInvalid", [
        /no token labelled "nope"/,
        /"s3proxy-main"/,
      ]);
      assertFails(await failure(open({ token: { slotId: 4711 } })), "KeySourceInvalid", [
        /no token present in slot 4711/,
      ]);
      assertFails(await failure(open({ module: "/nonexistent/libpkcs11.so" })), "KeySourceInvalid", [
        /cannot load the PKCS#11 module \/nonexistent\/libpkcs11.so/,
      ]);
    });

    void it("validates labels and limits before touching the token", async () => {
      const cases: Array<[Partial<Pkcs11ProviderOptions>, RegExp]> = [
        [{ activeKeyLabel: "has space" }, /the active key label \(9 characters\) is invalid/],
        [{ oldKeyLabels: ["main-2025"] }, /"main-2025" is given twice/],
        [{ maxSessions: 0 }, /session count must be 1..1024/],
        [{ token: { label: " " } }, /token label is empty/],
      ];
      for (const [overrides, pattern] of cases) {
        assertFails(await failure(open(overrides)), "KeySourceInvalid", [pattern]);
      }
    });
  });

  void describe("at run time", () => {
    void it("answers an unknown reference with KekNotFound and a closed provider with KeyProviderUnavailable", async () => {
      const provider = await openPkcs11KeyProvider(options());
      const { wrappedDek } = await provider.wrapDek(dekOf("closed"), contextOf("closed"));
      assertFails(
        await failure(provider.unwrapDek("pkcs11:extractable", wrappedDek, contextOf("closed"))),
        "KekNotFound",
        [/not configured/],
      );
      await provider.close();
      await provider.close();
      const err = await failure(provider.wrapDek(dekOf("closed"), contextOf("closed")));
      assert.ok(isKeyProviderError(err, "KeyProviderUnavailable"));
      assert.match(err.message, /closed/);
    });

    void it("is registered by remoteKeyProviders and wraps in the key ring when --kek-provider pkcs11", async () => {
      const pkcs11 = options();
      const config = {
        kekProvider: undefined,
        kms: undefined,
        pkcs11,
        dekCache: { ttlMs: 60_000, maxEntries: 100 },
      };
      assert.equal(activeKekProvider(config), "pkcs11");
      const registrations = remoteKeyProviders(config);
      assert.deepEqual(
        registrations.map(({ kind, remote }) => [kind, remote]),
        [["pkcs11", true]],
      );
      const ring = await buildKeyRing(registrations, { active: "pkcs11", dekCache: config.dekCache });
      const { kekRef, wrappedDek } = await ring.wrapDek(dekOf("ring"), contextOf("ring"));
      assert.equal(kekRef, "pkcs11:main-2025");
      assert.deepEqual(await ring.unwrapDek(kekRef, wrappedDek, contextOf("ring")), dekOf("ring"));
    });

    void it("serves many concurrent calls through a single session", async () => {
      const provider = await open({ maxSessions: 1 });
      const deks = Array.from({ length: 50 }, (_, i) => dekOf(`one-session/${i}`));
      const wrapped = await Promise.all(deks.map((dek, i) => provider.wrapDek(dek, contextOf(`one/${i}`))));
      const back = await Promise.all(
        wrapped.map(({ kekRef, wrappedDek }, i) =>
          provider.unwrapDek(kekRef, wrappedDek, contextOf(`one/${i}`)),
        ),
      );
      assert.deepEqual(back, deks);
    });

    void it("fails with retryable KeyProviderUnavailable while the token is removed, and recovers", async () => {
      let clock = 1_000_000;
      const provider = await open({
        token: { label: REMOVABLE },
        activeKeyLabel: "removable-kek",
        oldKeyLabels: [],
        reconnectIntervalMs: 5_000,
        now: () => clock,
      });
      const bystander = await open();
      const context = contextOf("removal");
      const earlier = await provider.wrapDek(dekOf("removal"), context);

      const putBack = await hsm.removeToken(REMOVABLE);
      for (const call of [
        () => provider.wrapDek(dekOf("removal"), context),
        () => provider.unwrapDek(earlier.kekRef, earlier.wrappedDek, context),
      ]) {
        const err = await failure(call());
        assertFails(err, "KeyProviderUnavailable");
        assert.equal((err as { retryable?: unknown }).retryable, true);
      }
      // Within the reconnect interval the provider does not touch the library again and says when it will.
      const fast = await failure(provider.wrapDek(dekOf("removal"), context));
      assertFails(fast, "KeyProviderUnavailable", [/next reconnect attempt in 5000 ms/, /no token labelled/]);

      await putBack();
      clock += 5_000;
      const later = await provider.wrapDek(dekOf("removal"), context);
      assert.deepEqual(later.wrappedDek, earlier.wrappedDek, "the same KEK is back");
      assert.deepEqual(
        await provider.unwrapDek(earlier.kekRef, earlier.wrappedDek, context),
        dekOf("removal"),
      );

      // A provider for another token on the same library reconnects on its own after the re-initialization.
      const { kekRef, wrappedDek } = await bystander.wrapDek(dekOf("other"), context);
      assert.deepEqual(await bystander.unwrapDek(kekRef, wrappedDek, context), dekOf("other"));
    });
  });
});
