/**
 * The start-up wrap test of the pkcs11 provider, against a stand-in library: a token that refuses a step is a
 * configuration error naming the step and CK_RV; a lost token passes through (the provider reports it as
 * unavailable); a token that unwraps something else is refused. The real path runs against SoftHSM in
 * Pkcs11KeyProvider.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PKCS11 } from "pkcs11js";
import { checkKeyWrap } from "../../src/keys/pkcs11/checkKeyWrap.ts";
import { CKR, type CkrName } from "../../src/keys/pkcs11/pkcs11Constants.ts";

function ckr(name: CkrName): Error {
  return Object.assign(new Error(`CKR_${name}`), { code: CKR[name] });
}

/** A library whose calls succeed, echoing the wrapped payload back on unwrap, except those in `fail`. */
function fakeLibrary(
  fail: Partial<Record<string, Error>>,
  tamper = false,
): { api: PKCS11; destroyed: number } {
  let stored = Buffer.alloc(0);
  const state = { destroyed: 0 };
  const call =
    <T>(name: string, result: () => T) =>
    (): T => {
      const err = fail[name];
      if (err !== undefined) throw err;
      return result();
    };
  const api = {
    C_CreateObject: (_s: Buffer, template: Array<{ type: number; value?: unknown }>) =>
      call("C_CreateObject", () => {
        stored = Buffer.from(template.find((a) => a.type === 0x11)?.value as Buffer);
        return Buffer.from([1]);
      })(),
    C_WrapKey: call("C_WrapKey", () => Buffer.alloc(56, 9)),
    C_UnwrapKey: call("C_UnwrapKey", () => Buffer.from([2])),
    C_GetAttributeValue: call("C_GetAttributeValue", () => [
      { type: 0x11, value: tamper ? Buffer.alloc(stored.length) : Buffer.from(stored) },
    ]),
    C_DestroyObject: () => {
      state.destroyed += 1;
    },
  };
  return {
    api: api as unknown as PKCS11,
    get destroyed() {
      return state.destroyed;
    },
  };
}

const run = (api: PKCS11): void => checkKeyWrap(api, Buffer.from([7]), Buffer.from([8]), "kek", 'token "t"');

void describe("checkKeyWrap", () => {
  void it("passes when the payload comes back, destroying both session objects", () => {
    const lib = fakeLibrary({});
    run(lib.api);
    assert.equal(lib.destroyed, 2);
  });

  void it("names the refused step and CK_RV as a KeySourceError", () => {
    const cases: Array<[string, CkrName, RegExp]> = [
      ["C_CreateObject", "ARGUMENTS_BAD", /at C_CreateObject .*CKR_ARGUMENTS_BAD/],
      ["C_WrapKey", "FUNCTION_FAILED", /at C_WrapKey with CKM_AES_KEY_WRAP \(CKR_FUNCTION_FAILED\)/],
      ["C_UnwrapKey", "WRAPPED_KEY_INVALID", /at C_UnwrapKey/],
    ];
    for (const [step, code, pattern] of cases) {
      assert.throws(
        () => run(fakeLibrary({ [step]: ckr(code) }).api),
        (err: unknown) => {
          assert.equal((err as { code?: unknown }).code, "KeySourceInvalid");
          assert.match((err as Error).message, pattern);
          assert.match((err as Error).message, /the key labelled "kek"/);
          return true;
        },
      );
    }
    const mechanism = Object.assign(new Error("CKR_MECHANISM_INVALID"), { code: 0x70 });
    assert.throws(() => run(fakeLibrary({ C_WrapKey: mechanism }).api), /CKR_MECHANISM_INVALID/);
  });

  void it("lets a lost token through and refuses a token that unwraps something else", () => {
    const lost = ckr("DEVICE_REMOVED");
    assert.throws(
      () => run(fakeLibrary({ C_WrapKey: lost }).api),
      (err) => err === lost,
    );
    assert.throws(() => run(fakeLibrary({}, true).api), /did not unwrap what it wrapped/);
  });
});
