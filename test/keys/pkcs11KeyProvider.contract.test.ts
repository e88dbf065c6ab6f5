/**
 * The KeyProvider contract against the `pkcs11` provider on a SoftHSM 2 token created for this file. Every
 * fixture gets keys of its own (labels c<n>-…), generated inside the token; rotation generates one more key and
 * opens a provider with it active and the others as old keys.
 */
import { describe, after } from "node:test";
import { openPkcs11KeyProvider, type Pkcs11KeyProvider } from "../../src/keys/Pkcs11KeyProvider.ts";
import { runKeyProviderContract } from "./keyProviderContract.ts";
import { SOFTHSM_MODULE, SOFTHSM_PIN, SoftHsm, softHsmMissing } from "./softHsm.ts";

const TOKEN = "s3proxy-contract";
const missing = softHsmMissing();

if (missing !== undefined) {
  void describe("KeyProvider contract: pkcs11 (SoftHSM 2)", { skip: missing }, () => undefined);
} else {
  const hsm = await SoftHsm.create([TOKEN]);
  const providers: Pkcs11KeyProvider[] = [];
  after(async () => {
    for (const provider of providers) await provider.close();
  });
  const open = async (active: string, old: readonly string[]): Promise<Pkcs11KeyProvider> => {
    const provider = await openPkcs11KeyProvider({
      module: SOFTHSM_MODULE,
      token: { label: TOKEN },
      pin: { kind: "env", name: "PIN", env: { PIN: SOFTHSM_PIN } },
      activeKeyLabel: active,
      oldKeyLabels: old,
    });
    providers.push(provider);
    return provider;
  };

  let fixtures = 0;
  runKeyProviderContract("pkcs11 (SoftHSM 2)", async () => {
    const n = ++fixtures;
    const labels = [`c${n}-kek-2024`, `c${n}-kek-2025`];
    for (const label of labels) await hsm.generateKey(TOKEN, label);
    return {
      provider: await open(`c${n}-kek-2025`, [`c${n}-kek-2024`]),
      bindsContext: true,
      rotate: async () => {
        await hsm.generateKey(TOKEN, `c${n}-kek-2026`);
        return open(`c${n}-kek-2026`, labels);
      },
      secrets: () => [Buffer.from(SOFTHSM_PIN)],
    };
  });
}
