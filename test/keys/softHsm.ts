/**
 * A SoftHSM 2 installation of its own for one test file: a temporary token directory, a softhsm2.conf pointing
 * at it (SOFTHSM2_CONF, read by the library at C_Initialize), tokens initialized with softhsm2-util, and KEKs
 * generated inside the token through the provider's own module (C_GenerateKey with CKM_AES_KEY_GEN and the
 * attributes docs/KEYS.md prescribes). Debian's softhsm2 package provides both; .ci/run installs it.
 *
 * SoftHSM reads its token directory at C_Initialize, so every token a file needs is created before the first
 * provider opens the module (`createSoftHsm(labels)`).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeToken, findTokenSlot } from "../../src/keys/pkcs11/findTokenSlot.ts";
import {
  CKA_VALUE,
  CKA_VALUE_LEN,
  CKF_RW_SESSION,
  CKF_SERIAL_SESSION,
  CKM_AES_KEY_GEN,
  CKR,
  CKU_USER,
} from "../../src/keys/pkcs11/pkcs11Constants.ts";
import { Pkcs11Module } from "../../src/keys/pkcs11/Pkcs11Module.ts";
import { ckUlong } from "../../src/keys/pkcs11/pkcs11Values.ts";
import { kekTemplate, type Pkcs11Attribute } from "../../src/keys/pkcs11/pkcs11Templates.ts";
import { pkcs11ReturnValue } from "../../src/keys/pkcs11/classifyPkcs11Error.ts";
import { tempDir } from "./helpers.ts";

export const SOFTHSM_MODULE = process.env.S3PROXY_TEST_PKCS11_MODULE ?? "/usr/lib/softhsm/libsofthsm2.so";
export const SOFTHSM_PIN = "4711-user-pin";
const SO_PIN = "4711-so-pin";

function haveTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the SoftHSM tests cannot run here, or undefined. Under CI (where .ci/run installs softhsm2) a missing
 * SoftHSM is a failure, not a skip.
 */
export function softHsmMissing(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(SOFTHSM_MODULE))
    reason = `SoftHSM 2 is not installed (no ${SOFTHSM_MODULE}; apt-get install softhsm2)`;
  else if (!haveTool("softhsm2-util")) reason = "softhsm2-util is not on PATH (apt-get install softhsm2)";
  if (reason !== undefined && process.env.CI !== undefined && process.env.CI !== "") {
    throw new Error(`${reason}: CI must run the PKCS#11 tests (.ci/run installs softhsm2)`);
  }
  return reason;
}

export class SoftHsm {
  readonly #dir: string;
  readonly #tokens: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#tokens = join(dir, "tokens");
  }

  /** A fresh installation with one initialized token per label; sets SOFTHSM2_CONF for this process. */
  static async create(tokenLabels: readonly string[]): Promise<SoftHsm> {
    const hsm = new SoftHsm(await tempDir());
    await mkdir(hsm.#tokens, { mode: 0o700 });
    const conf = join(hsm.#dir, "softhsm2.conf");
    await writeFile(
      conf,
      `directories.tokendir = ${hsm.#tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    );
    process.env.SOFTHSM2_CONF = conf;
    for (const label of tokenLabels)
      hsm.#util("--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", SOFTHSM_PIN);
    return hsm;
  }

  #util(...args: string[]): void {
    execFileSync("softhsm2-util", args, { stdio: "pipe", env: { ...process.env } });
  }

  /** Runs `work` on the shared module, holding a reference only meanwhile (the providers hold their own). */
  async #with<T>(work: (module: Pkcs11Module) => T): Promise<T> {
    const module = await Pkcs11Module.acquire(SOFTHSM_MODULE);
    try {
      return await module.use(() => work(module));
    } finally {
      await module.release();
    }
  }

  /** Generates an AES-256 key labelled `label` on the token, by default with the KEK attributes of docs/KEYS.md. */
  async generateKey(
    token: string,
    label: string,
    adjust: (template: Pkcs11Attribute[]) => Pkcs11Attribute[] = (t) => t,
  ): Promise<void> {
    await this.#with((module) => {
      const api = module.api;
      const slot = findTokenSlot(api, { label: token });
      const session = api.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
      try {
        try {
          api.C_Login(session, CKU_USER, SOFTHSM_PIN);
        } catch (err) {
          if (pkcs11ReturnValue(err) !== CKR.USER_ALREADY_LOGGED_IN) throw err;
        }
        api.C_GenerateKey(session, { mechanism: CKM_AES_KEY_GEN }, adjust(kekTemplate(label)));
      } finally {
        api.C_CloseSession(session);
      }
    });
  }

  /**
   * Creates a token key with a known value (for checking the wrapped bytes against RFC 3394 in software);
   * still sensitive and not extractable, so the provider accepts it.
   */
  async importKey(token: string, label: string, value: Buffer): Promise<void> {
    await this.#with((module) => {
      const api = module.api;
      const session = api.C_OpenSession(
        findTokenSlot(api, { label: token }),
        CKF_SERIAL_SESSION | CKF_RW_SESSION,
      );
      try {
        try {
          api.C_Login(session, CKU_USER, SOFTHSM_PIN);
        } catch (err) {
          if (pkcs11ReturnValue(err) !== CKR.USER_ALREADY_LOGGED_IN) throw err;
        }
        const template = kekTemplate(label).filter(({ type }) => type !== CKA_VALUE_LEN);
        api.C_CreateObject(session, [...template, { type: CKA_VALUE, value }]);
      } finally {
        api.C_CloseSession(session);
      }
    });
  }

  /** The slot id SoftHSM gave the token. */
  async slotId(token: string): Promise<number> {
    return this.#with((module) => Number(ckUlong(findTokenSlot(module.api, { label: token }))));
  }

  /** Takes the token out (`softhsm2-util --delete-token`), keeping a copy of its directory to put back. */
  async removeToken(token: string): Promise<() => Promise<void>> {
    const backup = join(this.#dir, `backup-${token}`);
    await rm(backup, { recursive: true, force: true });
    await cp(this.#tokens, backup, { recursive: true });
    const before = await readdir(this.#tokens);
    this.#util("--delete-token", "--token", token);
    const remaining = new Set(await readdir(this.#tokens));
    const gone = before.filter((name) => !remaining.has(name));
    if (gone.length !== 1) throw new Error(`expected one token directory to go, saw ${gone.length}`);
    const name = gone[0]!;
    return () => cp(join(backup, name), join(this.#tokens, name), { recursive: true });
  }

  describe(token: string): string {
    return describeToken({ label: token });
  }
}
