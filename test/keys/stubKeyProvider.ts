/**
 * A scripted KeyProvider for the decorator tests (cache, retries, key ring): it counts calls, can be told to
 * fail the next calls with given errors, and can hold unwraps until released, to test coalescing. Its "wrapped
 * DEK" is the DEK XORed with 0x5a, bound to nothing.
 */
import type { DekContext } from "../../src/keys/dekContext.ts";
import { KekNotFoundError } from "../../src/keys/errors.ts";
import type { GeneratedDataKey, KeyProvider, WrappedDek } from "../../src/keys/KeyProvider.ts";

const xor = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));

export class StubKeyProvider implements KeyProvider {
  readonly calls = { wrapDek: 0, unwrapDek: 0, generateDataKey: 0 };
  /** Every DEK buffer unwrapDek handed out, to check who zeroes it. */
  readonly returned: Buffer[] = [];
  /** Errors thrown by the next calls, first to last. */
  failures: Error[] = [];
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  readonly generateDataKey?: (context: DekContext) => Promise<GeneratedDataKey>;

  constructor(
    readonly scheme = "stub",
    readonly kekId = "stub-key",
    generates = false,
  ) {
    if (generates) {
      this.generateDataKey = async (context) => {
        this.calls.generateDataKey++;
        await this.#step();
        const dek = Buffer.alloc(32, 7);
        return { dek, ...(await this.wrapDek(Buffer.from(dek), context)) };
      };
    }
  }

  activeKekId(): string {
    return this.kekId;
  }

  listKekIds(): readonly string[] {
    return [this.kekId];
  }

  /** Unwraps wait until release() from now on. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  async wrapDek(dek: Buffer, _context: DekContext): Promise<WrappedDek> {
    this.calls.wrapDek++;
    await this.#step();
    return { kekRef: `${this.scheme}:${this.kekId}`, wrappedDek: xor(dek) };
  }

  async unwrapDek(kekRef: string, wrappedDek: Buffer, _context: DekContext): Promise<Buffer> {
    this.calls.unwrapDek++;
    await this.#step();
    if (kekRef !== `${this.scheme}:${this.kekId}`) throw new KekNotFoundError(kekRef, `no key ${kekRef}`);
    const dek = xor(wrappedDek);
    this.returned.push(dek);
    return dek;
  }

  async #step(): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    if (this.#gate !== undefined) await this.#gate;
  }
}
