/**
 * The logged-in sessions of one connection to a token. A PKCS#11 session runs one operation at a time (a second
 * one fails with CKR_OPERATION_ACTIVE, v2.40 §5.1), while the proxy wraps and unwraps many DEKs at once: each
 * operation takes a session for itself and gives it back. Sessions are opened on demand up to `max`; later
 * callers wait in FIFO order. Login state belongs to the application and token, not to a session (v2.20 §6.7.4
 * "Session events", kept in the v2.40 Usage Guide: when one session logs in, all of the application's sessions
 * with that token are logged in, including ones opened later), so only the first session calls C_Login.
 *
 * Handles are opaque; the pool never touches the library itself except through `open` and `close`.
 */
export class Pkcs11SessionPool<Handle> {
  readonly #open: () => Handle;
  readonly #close: (session: Handle) => void;
  readonly #max: number;
  readonly #idle: Handle[] = [];
  readonly #waiting: Array<{ resolve: (session: Handle) => void; reject: (err: Error) => void }> = [];
  #size = 0;
  #closed = false;

  /** `initial` is an already open (and logged-in) session that the pool now owns. */
  constructor(options: {
    open: () => Handle;
    close: (session: Handle) => void;
    max: number;
    initial: Handle;
  }) {
    if (!Number.isInteger(options.max) || options.max < 1) {
      throw new RangeError(`a session pool needs at least one session, got ${options.max}`);
    }
    this.#open = options.open;
    this.#close = options.close;
    this.#max = options.max;
    this.#idle.push(options.initial);
    this.#size = 1;
  }

  /** Sessions currently open (idle or in use). */
  get size(): number {
    return this.#size;
  }

  /** A session for the caller alone; open failures (token gone) reject. */
  async acquire(): Promise<Handle> {
    if (this.#closed) throw new Pkcs11PoolClosedError();
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#size < this.#max) {
      this.#size += 1;
      try {
        return this.#open();
      } catch (err) {
        this.#size -= 1;
        throw err;
      }
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Gives a healthy session back. */
  release(session: Handle): void {
    if (this.#closed) {
      this.#discard(session);
      return;
    }
    const next = this.#waiting.shift();
    if (next !== undefined) next.resolve(session);
    else this.#idle.push(session);
  }

  /** Drops a session that failed (closed, or the token went away); a waiting caller gets a new one. */
  discard(session: Handle): void {
    this.#discard(session);
    const next = this.#waiting.shift();
    if (next === undefined) return;
    if (this.#closed) {
      next.reject(new Pkcs11PoolClosedError());
      return;
    }
    this.acquire().then(next.resolve, next.reject);
  }

  /** Closes idle sessions now and in-use ones when they come back; waiting callers are rejected. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const session of this.#idle.splice(0)) this.#discard(session);
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new Pkcs11PoolClosedError());
  }

  #discard(session: Handle): void {
    this.#size -= 1;
    try {
      this.#close(session);
    } catch {
      // The session is being dropped because it (or its token) failed; closing it is best effort.
    }
  }
}

/** The connection this pool belonged to was dropped; the caller reconnects. */
export class Pkcs11PoolClosedError extends Error {
  constructor() {
    super("the PKCS#11 session pool was closed (the connection to the token was dropped)");
    this.name = "Pkcs11PoolClosedError";
  }
}
