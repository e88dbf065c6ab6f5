/**
 * The KeyProvider contract against the `grpc` provider and an in-test key service on 127.0.0.1 (the .proto
 * served by @grpc/grpc-js, keys derived with HKDF from a fixed master secret). Every fixture uses ids of its
 * own; rotation opens a provider with a new active id and the old ones as old ids.
 */
import { after, before } from "node:test";
import { openKeyServiceProvider, type KeyServiceProvider } from "../../src/keys/KeyServiceProvider.ts";
import { runKeyProviderContract } from "./keyProviderContract.ts";
import { seededRandom } from "./helpers.ts";
import { startKeyServiceServer, type KeyServiceServer } from "./keyServiceServer.ts";

let server: KeyServiceServer;
const providers: KeyServiceProvider[] = [];
before(async () => {
  server = await startKeyServiceServer({ master: Buffer.from(seededRandom("contract master")(32)) });
});
after(async () => {
  for (const provider of providers) await provider.close();
  server.stop();
});

async function open(active: string, old: readonly string[]): Promise<KeyServiceProvider> {
  const provider = await openKeyServiceProvider({
    endpoint: server.endpoint,
    transport: { kind: "insecure" },
    activeKekId: active,
    oldKekIds: old,
  });
  providers.push(provider);
  return provider;
}

let fixtures = 0;
runKeyProviderContract("grpc key service (in-test server)", async () => {
  const n = ++fixtures;
  const ids = [`c${n}-kek-2024`, `c${n}-kek-2025`, `c${n}-kek-2026`];
  return {
    provider: await open(ids[1]!, [ids[0]!]),
    bindsContext: false,
    rotate: () => open(ids[2]!, [ids[0]!, ids[1]!]),
    secrets: () => ids.map((id) => server.keyFor(id)),
  };
});
