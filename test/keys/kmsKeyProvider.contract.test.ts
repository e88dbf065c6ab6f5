/**
 * The KeyProvider contract against AWS KMS as moto emulates it: the bare KMS provider (EncryptionContext bound,
 * data keys generated), and the KeyRing as the proxy builds it (buildKeyRing: KMS behind retries and the DEK
 * cache), with KMS active and local keys alongside, and with local keys active and KMS alongside.
 */
import { buildKeyRing, type KeyProviderRegistration } from "../../src/keys/buildKeyRing.ts";
import type { KeyProvider } from "../../src/keys/KeyProvider.ts";
import type { KmsApi } from "../../src/keys/kmsApi.ts";
import { KmsKeyProvider } from "../../src/keys/KmsKeyProvider.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { keyBytes, testKeySet } from "./helpers.ts";
import { runKeyProviderContract, type KeyProviderFixture } from "./keyProviderContract.ts";
import { useMotoKms } from "./motoKms.ts";

const kms = useMotoKms();
let shared: Promise<KmsApi> | undefined;
const api = (): Promise<KmsApi> => (shared ??= kms.api());

/** A KMS key and, on rotate(), a new active key with the first one kept as an old key. */
async function kmsFixture(
  wrap: (provider: KmsKeyProvider) => Promise<KeyProvider>,
): Promise<KeyProviderFixture> {
  const first = await kms.createKey();
  return {
    provider: await wrap(await KmsKeyProvider.create(await api(), { keyId: first })),
    bindsContext: true,
    rotate: async () =>
      wrap(await KmsKeyProvider.create(await api(), { keyId: await kms.createKey(), oldKeyIds: [first] })),
  };
}

const asBuilt =
  (active: "kms" | "local", local: LocalKeyProvider) =>
  (provider: KmsKeyProvider): Promise<KeyProvider> => {
    const registrations: KeyProviderRegistration[] = [
      { kind: "local", remote: false, create: () => Promise.resolve(local) },
      { kind: "kms", remote: true, create: () => Promise.resolve(provider) },
    ];
    return buildKeyRing(registrations, { active, dekCache: { ttlMs: 60_000, maxEntries: 10_000 } });
  };

runKeyProviderContract("aws kms (moto)", () => kmsFixture((p) => Promise.resolve(p)), {
  generatesDataKeys: true,
});

let rings = 0;
runKeyProviderContract(
  "KeyRing: kms active, local keys alongside",
  () => {
    const local = new LocalKeyProvider(testKeySet(["ring-old"], "ring-old", `kms-ring-${++rings}/`));
    return kmsFixture(asBuilt("kms", local));
  },
  { generatesDataKeys: true },
);

runKeyProviderContract("KeyRing: local keys active, kms alongside", async () => {
  const n = ++rings;
  const set = testKeySet(["ring-a"], "ring-a", `local-ring-${n}/`);
  const rotated = testKeySet(["ring-a", "ring-b"], "ring-b", `local-ring-${n}/`);
  const kmsProvider = await KmsKeyProvider.create(await api(), { keyId: await kms.createKey() });
  return {
    provider: await asBuilt("local", new LocalKeyProvider(set))(kmsProvider),
    bindsContext: false,
    rotate: () => asBuilt("local", new LocalKeyProvider(rotated))(kmsProvider),
    secrets: () => keyBytes(rotated),
  };
});
