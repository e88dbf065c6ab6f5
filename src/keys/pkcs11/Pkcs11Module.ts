/**
 * One loaded PKCS#11 library ("Cryptoki", e.g. /usr/lib/softhsm/libsofthsm2.so) per path, shared by every user in
 * the process: the library's state is per process (PKCS#11 v2.40 §5.4: C_Initialize a second time is
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, and one C_Finalize ends every session of the application), so two providers
 * on the same library must not initialize or finalize it on their own.
 *
 * Calls into the library go through `use()`, a shared gate; `reinitialize()` takes it exclusively. v2.40 §5.4:
 * "the behavior of C_Finalize is undefined if it is called by an application while other threads of the
 * application are making Cryptoki calls", and pkcs11js runs its *Async calls on libuv worker threads. Re-running
 * C_Finalize/C_Initialize is what makes a library notice a token that was removed and inserted again (SoftHSM
 * keeps its slot list from C_Initialize; network HSM clients need it after the appliance restarts).
 * `generation` counts initializations: handles (sessions, objects) from an older generation are dead and must
 * never be passed to the library again, because it reuses handle numbers.
 *
 * The library is loaded with the CKF_OS_LOCKING_OK flag (v2.40 §5.4 CK_C_INITIALIZE_ARGS): it may be called from
 * several threads at once and uses the OS's locks.
 */
import type { PKCS11 } from "pkcs11js";
import { KeySourceError } from "../errors.ts";
import { describePkcs11Error, pkcs11ReturnValue } from "./classifyPkcs11Error.ts";
import { CKF_OS_LOCKING_OK, CKR } from "./pkcs11Constants.ts";

export class Pkcs11Module {
  readonly path: string;
  readonly api: PKCS11;
  #generation = 1;
  #initialized = true;
  #active = 0;
  #idle: Array<() => void> = [];
  #exclusive: Promise<void> | undefined;
  #users = 1;
  #unloaded = false;

  private constructor(path: string, api: PKCS11) {
    this.path = path;
    this.api = api;
  }

  /** Increases with every re-initialization; handles from an older generation are invalid. */
  get generation(): number {
    return this.#generation;
  }

  /** Runs `work` (which calls the library) while no re-initialization can happen. */
  async use<T>(work: () => Promise<T> | T): Promise<T> {
    while (this.#exclusive !== undefined) await this.#exclusive.catch(() => undefined);
    if (!this.#initialized) await this.#initialize();
    this.#active += 1;
    try {
      return await work();
    } finally {
      this.#active -= 1;
      if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * C_Finalize and C_Initialize, once no call is running, unless someone already re-initialized since
   * `seenGeneration` (then the caller just reconnects). Failures surface from the next `use()`.
   */
  reinitialize(seenGeneration: number): Promise<void> {
    if (seenGeneration !== this.#generation) return Promise.resolve();
    this.#exclusive ??= (async () => {
      if (this.#active > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
      this.#finalize();
      this.#generation += 1;
      await this.#initialize().catch(() => undefined);
    })().finally(() => {
      this.#exclusive = undefined;
    });
    return this.#exclusive;
  }

  #initialize(): Promise<void> {
    return new Promise((resolve) => {
      initializeLibrary(this.api, this.path);
      this.#initialized = true;
      resolve();
    });
  }

  #finalize(): void {
    if (!this.#initialized) return;
    this.#initialized = false;
    try {
      this.api.C_Finalize();
    } catch {
      // The library state is being thrown away; a failure here changes nothing.
    }
  }

  /** Drops one user; the last one finalizes and unloads the library. */
  async release(): Promise<void> {
    this.#users -= 1;
    if (this.#users > 0) return;
    while (this.#exclusive !== undefined) await this.#exclusive.catch(() => undefined);
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    if (this.#users > 0) return; // acquired again meanwhile
    modules.delete(this.path);
    this.#unloaded = true;
    this.#finalize();
    try {
      this.api.close();
    } catch {
      // Unloading is best effort.
    }
  }

  /** The module for `path`, loaded and initialized on first use; every acquire needs one release(). */
  static async acquire(path: string): Promise<Pkcs11Module> {
    const pending = modules.get(path);
    if (pending !== undefined) {
      const module = await pending;
      // Unloaded while this call waited: load it afresh.
      if (module.#unloaded) return Pkcs11Module.acquire(path);
      module.#users += 1;
      return module;
    }
    const loading = Pkcs11Module.#load(path);
    modules.set(path, loading);
    loading.catch(() => modules.delete(path));
    return loading;
  }

  static async #load(path: string): Promise<Pkcs11Module> {
    // Loaded on first use, so that proxies without an HSM never load the native addon.
    const { default: pkcs11js } = await import("pkcs11js");
    const api = new pkcs11js.PKCS11();
    try {
      api.load(path);
    } catch (cause) {
      throw new KeySourceError(`cannot load the PKCS#11 module ${path} (${describePkcs11Error(cause)})`, {
        cause,
      });
    }
    try {
      initializeLibrary(api, path);
    } catch (cause) {
      try {
        api.close();
      } catch {
        // Nothing more to clean up.
      }
      throw cause;
    }
    return new Pkcs11Module(path, api);
  }
}

const modules = new Map<string, Promise<Pkcs11Module>>();

function initializeLibrary(api: PKCS11, path: string): void {
  try {
    api.C_Initialize({ flags: CKF_OS_LOCKING_OK });
  } catch (cause) {
    // Another component of this process initialized the library first: its state is shared, so use it.
    if (pkcs11ReturnValue(cause) === CKR.CRYPTOKI_ALREADY_INITIALIZED) return;
    throw new KeySourceError(
      `the PKCS#11 module ${path} failed to initialize (${describePkcs11Error(cause)})`,
      { cause },
    );
  }
}
