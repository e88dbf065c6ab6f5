/**
 * Length arithmetic of format v1 (docs/FORMAT.md §5). Every record but the object's last holds a full
 * segment, for single-part and (by the multipart layout rules) multipart objects alike, so the plaintext
 * length follows from the ciphertext length alone: HEAD and LIST need no extra request.
 *
 *   S = 2^e, R = S + 32 (record = 16-byte header + segment + 16-byte tag)
 *   records(P)  = max(1, ceil(P / S))          a 0-byte object still has one (empty) final record
 *   C(P)        = P + 32 * records(P)
 *   G(C)        = ceil(C / R);  last = C - (G - 1) * R must be >= 32, else C is impossible
 *   P(C)        = C - 32 * G(C)
 */
import { isValidSegmentExponent } from "./envelopeHeader.ts";
import { LengthError } from "./errors.ts";
import { RECORD_OVERHEAD } from "./formatConstants.ts";

function checkExponent(e: number): void {
  if (!isValidSegmentExponent(e)) throw new RangeError(`invalid segment exponent ${e}`);
}

function checkLength(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new LengthError("LengthInvalid", `${what} must be a safe integer >= 0`);
}

/** floor(a / b) for safe non-negative integers, exact even where a / b rounds in floating point. */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  while (q * b > a) q--;
  while ((q + 1) * b <= a) q++;
  return q;
}

export function segmentSize(e: number): number {
  checkExponent(e);
  return 2 ** e;
}

export function recordSize(e: number): number {
  return segmentSize(e) + RECORD_OVERHEAD;
}

/** Records needed for `plaintextLength` bytes of one part (or single-part object); at least one. */
export function segmentCount(plaintextLength: number, e: number): number {
  checkLength("plaintext length", plaintextLength);
  const s = segmentSize(e);
  return plaintextLength === 0 ? 1 : floorDiv(plaintextLength + s - 1, s);
}

/** Stored size of an object (or part) holding `plaintextLength` bytes. */
export function ciphertextLength(plaintextLength: number, e: number): number {
  const c = plaintextLength + RECORD_OVERHEAD * segmentCount(plaintextLength, e);
  checkLength("ciphertext length", c);
  return c;
}

/** Records in a stored object of `ciphertextLength` bytes; throws LengthInvalid for impossible sizes. */
export function recordCount(ciphertextLength: number, e: number): number {
  checkLength("ciphertext length", ciphertextLength);
  const r = recordSize(e);
  if (ciphertextLength < RECORD_OVERHEAD) {
    throw new LengthError(
      "LengthInvalid",
      `ciphertext length ${ciphertextLength} is shorter than one record`,
    );
  }
  const g = floorDiv(ciphertextLength + r - 1, r);
  const last = ciphertextLength - (g - 1) * r;
  if (last < RECORD_OVERHEAD) {
    throw new LengthError(
      "LengthInvalid",
      `ciphertext length ${ciphertextLength} ends inside a record header`,
    );
  }
  return g;
}

/** Plaintext size of a stored object; throws LengthInvalid for impossible sizes. */
export function plaintextLength(ciphertextLength: number, e: number): number {
  return ciphertextLength - RECORD_OVERHEAD * recordCount(ciphertextLength, e);
}

/** Stored length of record `g` (0-based) of an object of `ciphertextLength` bytes. */
export function recordLength(g: number, ciphertextLength: number, e: number): number {
  const count = recordCount(ciphertextLength, e);
  if (!Number.isSafeInteger(g) || g < 0 || g >= count)
    throw new RangeError(`record ${g} outside 0..${count - 1}`);
  const r = recordSize(e);
  return g < count - 1 ? r : ciphertextLength - (count - 1) * r;
}
