/**
 * The `pkcs11` key provider: KEKs are AES-256 secret keys inside an HSM (or any PKCS#11 token; tested against
 * SoftHSM 2), found by CKA_LABEL, sensitive and never extractable. DEKs are wrapped by the token with
 * CKM_AES_KEY_WRAP (RFC 3394; PKCS#11 v2.40 Current Mechanisms "AES Key Wrap"); the KEK never leaves it.
 *
 *   kekRef      pkcs11:<key label>
 *   wrappedDek  AES-KW(KEK, DEK || 16-byte context tag), 56 bytes (pkcs11/pkcs11WrapPayload.ts)
 *
 * Why C_WrapKey/C_UnwrapKey and not C_Encrypt: SoftHSM 2.6 offers CKM_AES_KEY_WRAP (and _PAD) for wrapping only
 * (CKF_WRAP | CKF_UNWRAP; C_EncryptInit answers CKR_MECHANISM_INVALID), and a KEK that can only wrap and unwrap
 * keys cannot be abused as a general decryption oracle for other data. So a wrap creates the payload as a
 * short-lived session object and wraps it; an unwrap creates a session object that only this application can
 * see, reads its value (it is extractable for that purpose alone) and destroys it at once.
 *
 * Sessions: one logged-in session pool per provider (pkcs11/Pkcs11SessionPool.ts), one operation per session.
 * C_WrapKey and C_UnwrapKey run through pkcs11js's *Async variants on libuv worker threads (a network HSM call
 * takes milliseconds); the short local calls (create/read/destroy a session object) are synchronous.
 *
 * Failures: a lost session, token or library state (CKR_SESSION_HANDLE_INVALID, CKR_DEVICE_REMOVED, a KEK handle
 * that stopped naming an object, …) drops the sessions, re-initializes the library, reconnects and retries the
 * call once; if the token stays unreachable the call fails with KeyProviderUnavailableError (retryable, the S3
 * layer answers 503), and reconnects are attempted at most every `reconnectIntervalMs`. A refused PIN is never
 * retried (it would lock the token). A wrapped DEK the token rejects is DekUnwrapFailed; SoftHSM reports a failed
 * RFC 3394 integrity check as CKR_GENERAL_ERROR, so that code is attributed to the input only when the token and
 * key still answer afterwards.
 *
 * Start-up (`openPkcs11KeyProvider`) fails with KeySourceError for configuration mistakes (no such module,
 * token or key label, a key that is extractable or cannot wrap, a refused PIN) and KeyProviderUnavailableError
 * when the token does not answer. Messages name the module, token and labels, never the PIN or key bytes.
 */
import { KeyError } from "../crypto/index.ts";
import type { DekContext } from "./dekContext.ts";
import {
  DekUnwrapError,
  KekNotFoundError,
  KeyProviderError,
  KeyProviderUnavailableError,
  KeySourceError,
} from "./errors.ts";
import { formatKekRef, parseKekRef } from "./kekRef.ts";
import type { KeyProvider, WrappedDek } from "./KeyProvider.ts";
import {
  classifyPkcs11Error,
  describePkcs11Error,
  type Pkcs11ErrorKind,
} from "./pkcs11/classifyPkcs11Error.ts";
import { connectToToken, openSession, Pkcs11PinRefusedError } from "./pkcs11/connectToToken.ts";
import { describeToken } from "./pkcs11/findTokenSlot.ts";
import { CKA_KEY_TYPE, CKA_VALUE, CKM_AES_KEY_WRAP } from "./pkcs11/pkcs11Constants.ts";
import { Pkcs11Module } from "./pkcs11/Pkcs11Module.ts";
import {
  type Pkcs11ProviderOptions,
  validatePkcs11Options,
  type ValidPkcs11Options,
} from "./pkcs11/pkcs11Options.ts";
import { Pkcs11PoolClosedError, Pkcs11SessionPool } from "./pkcs11/Pkcs11SessionPool.ts";
import { payloadObjectTemplate, unwrappedPayloadTemplate } from "./pkcs11/pkcs11Templates.ts";
import {
  PKCS11_WRAPPED_DEK_LENGTH,
  pkcs11OpenPayload,
  pkcs11WrapPayload,
} from "./pkcs11/pkcs11WrapPayload.ts";
import { readPkcs11Pin } from "./pkcs11/readPkcs11Pin.ts";

export const PKCS11_SCHEME = "pkcs11";

const MECHANISM = { mechanism: CKM_AES_KEY_WRAP };
/** Output buffer for C_WrapKey: comfortably more than the 56 bytes RFC 3394 produces here. */
const WRAP_BUFFER_LENGTH = 128;
/** DEK length (docs/FORMAT.md §4.1). */
const DEK_LENGTH = 32;

interface Connection {
  /** The module generation the handles below belong to. */
  readonly generation: number;
  readonly slot: Buffer;
  readonly pool: Pkcs11SessionPool<Buffer>;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** How one token call went: a value, or the connection was lost (the caller reconnects). */
type Attempt<T> = { readonly value: T } | { readonly lost: unknown };

/** Opens the token, logs in and checks every configured key; see the file comment for the errors. */
export async function openPkcs11KeyProvider(options: Pkcs11ProviderOptions): Promise<Pkcs11KeyProvider> {
  const valid = validatePkcs11Options(options);
  const pin = await readPkcs11Pin(valid.pin);
  const module = await Pkcs11Module.acquire(valid.module);
  const provider = new Pkcs11KeyProvider(module, valid, pin);
  try {
    await provider.connect();
  } catch (err) {
    await provider.close();
    throw err;
  }
  return provider;
}

export class Pkcs11KeyProvider implements KeyProvider {
  readonly scheme = PKCS11_SCHEME;
  readonly #module: Pkcs11Module;
  readonly #options: ValidPkcs11Options;
  readonly #where: string;
  readonly #activeRef: string;
  #pin: string;
  #connection: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  /** Generation of the last connection that was lost: the library is re-initialized before reconnecting. */
  #lostGeneration: number | undefined;
  #lastFailure: { readonly at: number; readonly reason: string } | undefined;
  #pinRefused = false;
  #closed = false;

  /** Use openPkcs11KeyProvider(); the constructor does not connect. */
  constructor(module: Pkcs11Module, options: ValidPkcs11Options, pin: string) {
    this.#module = module;
    this.#options = options;
    this.#pin = pin;
    this.#where = `${describeToken(options.token)} (PKCS#11 module ${options.module})`;
    this.#activeRef = formatKekRef(this.scheme, options.activeKeyLabel);
  }

  activeKekId(): string {
    return this.#options.activeKeyLabel;
  }

  listKekIds(): readonly string[] {
    return [this.#options.activeKeyLabel, ...this.#options.oldKeyLabels];
  }

  /** Connects now, with start-up errors (KeySourceError for configuration mistakes). */
  async connect(): Promise<void> {
    if (this.#connection === undefined) this.#connection = await this.#open();
  }

  async wrapDek(dek: Buffer, context: DekContext): Promise<WrappedDek> {
    if (dek.byteLength !== DEK_LENGTH) throw new KeyError("KeyInvalid", `DEK must be ${DEK_LENGTH} bytes`);
    const payload = pkcs11WrapPayload(dek, context);
    const label = this.#options.activeKeyLabel;
    try {
      const wrappedDek = await this.#run(
        label,
        async (session, key) => {
          const api = this.#module.api;
          const object = api.C_CreateObject(session, payloadObjectTemplate(payload));
          try {
            const out = await api.C_WrapKeyAsync(
              session,
              MECHANISM,
              key,
              object,
              Buffer.alloc(WRAP_BUFFER_LENGTH),
            );
            return Buffer.from(out);
          } finally {
            api.C_DestroyObject(session, object);
          }
        },
        (err) =>
          new KeyProviderUnavailableError(
            `${this.#where} refused to wrap a DEK under "${label}" (${describePkcs11Error(err)})`,
            { cause: err },
          ),
      );
      if (wrappedDek.length !== PKCS11_WRAPPED_DEK_LENGTH) {
        throw new KeyProviderUnavailableError(
          `${this.#where} returned a ${wrappedDek.length}-byte wrapped DEK; CKM_AES_KEY_WRAP gives ${PKCS11_WRAPPED_DEK_LENGTH}`,
        );
      }
      return { kekRef: this.#activeRef, wrappedDek };
    } finally {
      payload.fill(0);
    }
  }

  async unwrapDek(kekRef: string, wrappedDek: Buffer, context: DekContext): Promise<Buffer> {
    const parsed = parseKekRef(kekRef);
    if (parsed?.scheme !== this.scheme) {
      throw new KekNotFoundError(
        kekRef,
        `KEK reference "${kekRef}" is not a ${this.scheme}:<key label> reference`,
      );
    }
    if (!this.listKekIds().includes(parsed.id)) {
      throw new KekNotFoundError(
        kekRef,
        `KEK "${kekRef}" is not configured (this proxy uses the ${this.scheme} keys ` +
          `${this.listKekIds()
            .map((id) => `"${id}"`)
            .join(", ")} on ${this.#where})`,
      );
    }
    const refused = (detail: string, cause?: unknown): DekUnwrapError =>
      new DekUnwrapError(
        kekRef,
        `the wrapped DEK does not unwrap under "${kekRef}" (${detail})`,
        cause === undefined ? {} : { cause },
      );
    if (wrappedDek.length !== PKCS11_WRAPPED_DEK_LENGTH) {
      throw refused(
        `it is ${wrappedDek.length} bytes, a ${this.scheme} wrapped DEK is ${PKCS11_WRAPPED_DEK_LENGTH}`,
      );
    }
    const input = Buffer.from(wrappedDek);
    return this.#run(
      parsed.id,
      async (session, key) => {
        const api = this.#module.api;
        const object = await api.C_UnwrapKeyAsync(session, MECHANISM, key, input, unwrappedPayloadTemplate());
        let payload: Buffer | undefined;
        try {
          payload = api.C_GetAttributeValue(session, object, [{ type: CKA_VALUE }])[0]?.value;
        } finally {
          api.C_DestroyObject(session, object);
        }
        const dek = payload === undefined ? undefined : pkcs11OpenPayload(payload, context);
        payload?.fill(0);
        if (dek === undefined) {
          throw refused("it was wrapped for another object's DEK context, or is not a pkcs11 wrapped DEK");
        }
        return dek;
      },
      (err) =>
        refused(`wrong KEK or corrupted wrapped DEK; the token answered ${describePkcs11Error(err)}`, err),
    );
  }

  /** Ends the sessions and releases the library; later calls fail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pin = "";
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) await this.#module.use(() => this.#closePool(connection));
    await this.#module.release();
  }

  /**
   * Runs `work` with a session of its own and the handle of the KEK labelled `label`. A lost connection is
   * re-established and the work retried once; `rejected` turns the token's refusal of the input into an error.
   */
  async #run<T>(
    label: string,
    work: (session: Buffer, key: Buffer) => Promise<T>,
    rejected: (err: unknown) => KeyProviderError,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const connection = await this.#connected();
      let outcome: Attempt<T>;
      try {
        outcome = await this.#module.use(() => this.#attempt(connection, label, work, rejected));
      } catch (err) {
        // The library failed to initialize again after a re-initialization: the token is unreachable for now.
        if (err instanceof KeySourceError) throw this.#unavailable("cannot be initialized", err);
        throw err;
      }
      if ("value" in outcome) return outcome.value;
      if (attempt >= 2) {
        throw new KeyProviderUnavailableError(
          `${this.#where} failed again after reconnecting (${describePkcs11Error(outcome.lost)})`,
          { cause: outcome.lost },
        );
      }
    }
  }

  /** One try, inside the module's gate (so handles cannot go stale while it runs). */
  async #attempt<T>(
    connection: Connection,
    label: string,
    work: (session: Buffer, key: Buffer) => Promise<T>,
    rejected: (err: unknown) => KeyProviderError,
  ): Promise<Attempt<T>> {
    if (connection.generation !== this.#module.generation) {
      this.#drop(connection);
      return { lost: new Error("the PKCS#11 library was re-initialized") };
    }
    const key = connection.keys.get(label);
    if (key === undefined) throw new Error(`unreachable: no handle for key "${label}"`);
    let session: Buffer;
    try {
      session = await connection.pool.acquire();
    } catch (err) {
      if (err instanceof Pkcs11PoolClosedError || classifyPkcs11Error(err) !== "other") {
        this.#drop(connection);
        return { lost: err };
      }
      throw this.#unavailable("cannot open a session", err);
    }
    try {
      const value = await work(session, key);
      connection.pool.release(session);
      return { value };
    } catch (err) {
      let kind: Pkcs11ErrorKind = classifyPkcs11Error(err);
      if (kind === "ambiguous") kind = this.#answers(connection, session, key) ? "rejected" : "lost";
      if (kind === "lost" || kind === "login") {
        connection.pool.discard(session);
        this.#drop(connection);
        return { lost: err };
      }
      connection.pool.release(session);
      if (kind === "rejected") throw rejected(err);
      if (err instanceof KeyProviderError || err instanceof KeyError) throw err;
      throw this.#unavailable("failed", err);
    }
  }

  /** Whether the token, the session and the key still answer (after an ambiguous CKR_GENERAL_ERROR). */
  #answers(connection: Connection, session: Buffer, key: Buffer): boolean {
    const api = this.#module.api;
    try {
      api.C_GetTokenInfo(connection.slot);
      api.C_GetSessionInfo(session);
      api.C_GetAttributeValue(session, key, [{ type: CKA_KEY_TYPE }]);
      return true;
    } catch {
      return false;
    }
  }

  /** The current connection, reconnecting (at most every reconnectIntervalMs) when there is none. */
  async #connected(): Promise<Connection> {
    if (this.#closed) throw new KeyProviderUnavailableError(`the key provider for ${this.#where} is closed`);
    if (this.#connection !== undefined) return this.#connection;
    if (this.#pinRefused) {
      throw new KeyProviderUnavailableError(
        `${this.#where} refused the PIN when reconnecting; no further login is attempted, since wrong PINs ` +
          "lock the token: fix the PIN and restart the proxy",
      );
    }
    this.#connecting ??= this.#reconnect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #reconnect(): Promise<Connection> {
    const last = this.#lastFailure;
    const wait = last === undefined ? 0 : last.at + this.#options.reconnectIntervalMs - this.#options.now();
    if (last !== undefined && wait > 0) {
      throw new KeyProviderUnavailableError(
        `${this.#where} is unreachable (${last.reason}); next reconnect attempt in ${Math.ceil(wait)} ms`,
      );
    }
    try {
      if (this.#lostGeneration !== undefined) await this.#module.reinitialize(this.#lostGeneration);
      const connection = await this.#open();
      if (this.#closed) {
        // Closed while connecting: the library may already be released, so closing is best effort.
        await this.#module.use(() => this.#closePool(connection)).catch(() => undefined);
        throw new KeyProviderUnavailableError(`the key provider for ${this.#where} is closed`);
      }
      this.#connection = connection;
      this.#lostGeneration = undefined;
      this.#lastFailure = undefined;
      return connection;
    } catch (err) {
      if (err instanceof Pkcs11PinRefusedError) this.#pinRefused = true;
      // Re-initialize again before the next attempt: the library may still hold a stale view of its slots.
      this.#lostGeneration = this.#module.generation;
      const reason = err instanceof KeyProviderError ? err.message : describePkcs11Error(err);
      this.#lastFailure = { at: this.#options.now(), reason };
      if (err instanceof KeyProviderUnavailableError) throw err;
      throw new KeyProviderUnavailableError(`cannot reconnect to ${this.#where}: ${reason}`, { cause: err });
    }
  }

  /** Connects inside the module's gate; configuration errors stay KeySourceErrors, the rest is unavailability. */
  #open(): Promise<Connection> {
    return this.#module.use(() => {
      const api = this.#module.api;
      const generation = this.#module.generation;
      let opened;
      try {
        opened = connectToToken(api, { ...this.#options, where: this.#where }, this.#pin);
      } catch (err) {
        if (err instanceof KeySourceError) throw err;
        throw this.#unavailable("does not answer", err);
      }
      const pool = new Pkcs11SessionPool<Buffer>({
        open: () => openSession(api, opened.slot),
        // Handles of an older generation may have been reused by the library: never close those.
        close: (session) => {
          if (this.#module.generation === generation) api.C_CloseSession(session);
        },
        max: this.#options.maxSessions,
        initial: opened.session,
      });
      return { generation, slot: opened.slot, pool, keys: opened.keys };
    });
  }

  /** Forgets a lost connection (inside the module's gate); the next call reconnects. */
  #drop(connection: Connection): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    this.#lostGeneration = connection.generation;
    this.#closePool(connection);
  }

  #closePool(connection: Connection): void {
    connection.pool.close();
  }

  #unavailable(what: string, cause: unknown): KeyProviderUnavailableError {
    return new KeyProviderUnavailableError(`${this.#where} ${what} (${describePkcs11Error(cause)})`, {
      cause,
    });
  }
}
