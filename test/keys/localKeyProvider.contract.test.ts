/** The KeyProvider contract against the local aeskw provider, loaded from each of its three sources. */
import { join } from "node:path";
import { addKey } from "../../src/keys/addKey.ts";
import { serializeKeyFile } from "../../src/keys/keyFileFormat.ts";
import type { Kek, KeySet } from "../../src/keys/keySet.ts";
import { loadLocalKeyProvider } from "../../src/keys/loadLocalKeyProvider.ts";
import { LocalKeyProvider } from "../../src/keys/LocalKeyProvider.ts";
import { withKey } from "../../src/keys/withKey.ts";
import { runKeyProviderContract } from "./keyProviderContract.ts";
import {
  keyBytes,
  SecretVolume,
  secretFiles,
  tempDir,
  testKek,
  testKeySet,
  writeKeyFile,
} from "./helpers.ts";

let fixtures = 0;

/** Distinct keys for every fixture (and its rotation), still deterministic. */
function freshKeys(): { set: KeySet; rotatedKek: Kek } {
  const n = ++fixtures;
  return {
    set: testKeySet(["kek-2024", "kek-2025"], "kek-2025", `fixture-${n}/`),
    rotatedKek: testKek("kek-2026", `fixture-${n}/rotated`),
  };
}

runKeyProviderContract("local aeskw, KeySet in memory", () => {
  const { set: initial, rotatedKek } = freshKeys();
  let set = initial;
  return Promise.resolve({
    provider: new LocalKeyProvider(set),
    bindsContext: false,
    rotate: () => {
      set = withKey(set, rotatedKek, true);
      return Promise.resolve(new LocalKeyProvider(set));
    },
    secrets: () => keyBytes(set),
  });
});

runKeyProviderContract("local aeskw, key file", async () => {
  const { set: initial, rotatedKek } = freshKeys();
  let set = initial;
  const path = join(await tempDir(), "keys.json");
  await writeKeyFile(path, set);
  return {
    provider: await loadLocalKeyProvider({ kind: "file", path }),
    bindsContext: false,
    rotate: async () => {
      set = await addKey(path, rotatedKek, true);
      return loadLocalKeyProvider({ kind: "file", path });
    },
    secrets: () => keyBytes(set),
  };
});

runKeyProviderContract("local aeskw, environment variable (key file JSON)", async () => {
  const { set: initial, rotatedKek } = freshKeys();
  let set = initial;
  const env: Record<string, string> = { S3PROXY_KEYS: serializeKeyFile(set) };
  return {
    provider: await loadLocalKeyProvider({ kind: "env", name: "S3PROXY_KEYS", env }),
    bindsContext: false,
    rotate: async () => {
      set = withKey(set, rotatedKek, true);
      env.S3PROXY_KEYS = serializeKeyFile(set);
      return loadLocalKeyProvider({ kind: "env", name: "S3PROXY_KEYS", env });
    },
    secrets: () => keyBytes(set),
  };
});

runKeyProviderContract("local aeskw, Kubernetes Secret directory", async () => {
  const { set: initial, rotatedKek } = freshKeys();
  let set = initial;
  const volume = await SecretVolume.create(secretFiles(set));
  return {
    provider: await loadLocalKeyProvider({ kind: "directory", path: volume.dir }),
    bindsContext: false,
    rotate: async () => {
      set = withKey(set, rotatedKek, true);
      await volume.update(secretFiles(set));
      return loadLocalKeyProvider({ kind: "directory", path: volume.dir });
    },
    secrets: () => keyBytes(set),
  };
});
