/**
 * The PKCS#11 numbers spelled out in src/keys/pkcs11/pkcs11Constants.ts equal pkcs11js's (which come from the
 * standard's pkcs11t.h), and CK_RV values are classified as the provider expects.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import {
  classifyPkcs11Error,
  describePkcs11Error,
  pkcs11ReturnValue,
} from "../../src/keys/pkcs11/classifyPkcs11Error.ts";
import * as constants from "../../src/keys/pkcs11/pkcs11Constants.ts";

const pkcs11js = createRequire(import.meta.url)("pkcs11js") as Record<string, unknown>;

/** An error as pkcs11js throws it: message "CKR_…", code the CK_RV. */
function ckr(name: constants.CkrName): Error {
  return Object.assign(new Error(`CKR_${name}`), { code: constants.CKR[name] });
}

void describe("PKCS#11 constants", () => {
  void it("equal pkcs11js's values", () => {
    for (const [name, value] of Object.entries(constants)) {
      if (name === "CKR") continue;
      assert.equal(pkcs11js[name], value, name);
    }
    for (const [name, value] of Object.entries(constants.CKR))
      assert.equal(pkcs11js[`CKR_${name}`], value, name);
  });
});

void describe("classifyPkcs11Error", () => {
  void it("tells lost connections, rejected input, refused PINs and ambiguous failures apart", () => {
    const expect: Array<[constants.CkrName, string]> = [
      ["SESSION_HANDLE_INVALID", "lost"],
      ["DEVICE_REMOVED", "lost"],
      ["TOKEN_NOT_PRESENT", "lost"],
      ["WRAPPING_KEY_HANDLE_INVALID", "lost"],
      ["UNWRAPPING_KEY_HANDLE_INVALID", "lost"],
      ["CRYPTOKI_NOT_INITIALIZED", "lost"],
      ["WRAPPED_KEY_INVALID", "rejected"],
      ["WRAPPED_KEY_LEN_RANGE", "rejected"],
      ["ENCRYPTED_DATA_INVALID", "rejected"],
      ["PIN_INCORRECT", "login"],
      ["PIN_LOCKED", "login"],
      ["GENERAL_ERROR", "ambiguous"],
      ["FUNCTION_FAILED", "ambiguous"],
      ["HOST_MEMORY", "other"],
    ];
    for (const [name, kind] of expect) assert.equal(classifyPkcs11Error(ckr(name)), kind, name);
  });

  void it("treats anything that is not a PKCS#11 error as other", () => {
    assert.equal(classifyPkcs11Error(new TypeError("x")), "other");
    assert.equal(classifyPkcs11Error(Object.assign(new Error("boom"), { code: 5 })), "other");
    assert.equal(classifyPkcs11Error("CKR_GENERAL_ERROR"), "other");
    assert.equal(pkcs11ReturnValue(new Error("CKR_OK")), undefined);
  });

  void it("describes errors by CK_RV name, or by class and first line", () => {
    assert.equal(describePkcs11Error(ckr("PIN_INCORRECT")), "CKR_PIN_INCORRECT");
    assert.equal(
      describePkcs11Error(Object.assign(new Error("CKR_VENDOR_THING"), { code: 0x80000001 })),
      "CKR_VENDOR_THING",
    );
    assert.equal(describePkcs11Error(new TypeError("bad\nsecond line")), "TypeError: bad");
  });
});
