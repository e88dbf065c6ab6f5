/**
 * The `grpc` provider beyond the shared contract, against an in-test key service on 127.0.0.1: the wire
 * request and the wrapped bytes, fetching each KEK once, outages and deadlines (retryable
 * KeyProviderUnavailable), start-up errors, TLS, and zeroing on close.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { wrapDekAesKw } from "../../src/crypto/index.ts";
import type { DekContext } from "../../src/keys/dekContext.ts";
import { isKeyProviderError, type KeyErrorCode } from "../../src/keys/errors.ts";
import {
  KEYSERVICE_SCHEME,
  KeyServiceProvider,
  openKeyServiceProvider,
} from "../../src/keys/KeyServiceProvider.ts";
import type { KeyServiceProviderOptions } from "../../src/keys/keyservice/keyServiceOptions.ts";
import { validateKeyServiceOptions } from "../../src/keys/keyservice/keyServiceOptions.ts";
import { parseKeyRingOptions } from "../../src/config/parseKeyRingOptions.ts";
import { buildKeyRing } from "../../src/keys/buildKeyRing.ts";
import { activeKekProvider } from "../../src/keys/keyRingConfig.ts";
import { remoteKeyProviders } from "../../src/keys/remoteKeyProviders.ts";
import { createTestPki } from "../helpers/testPki.ts";
import { assertNoSecrets, errorTexts, seededRandom, tempDir, writeWithMode } from "./helpers.ts";
import { startKeyServiceServer, type KeyServiceServer } from "./keyServiceServer.ts";

const master = Buffer.from(seededRandom("keyservice master")(32));
const context: DekContext = { formatVersion: 1, salt: Buffer.alloc(32, 7) };
const dekOf = (seed: string): Buffer => Buffer.from(seededRandom(`dek/${seed}`)(32));

const cleanup: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function serve(port?: number): Promise<KeyServiceServer> {
  const server = await startKeyServiceServer(port === undefined ? { master } : { master, port });
  cleanup.push(() => server.stop());
  return server;
}

async function open(
  server: { endpoint: string },
  overrides: Partial<KeyServiceProviderOptions> = {},
): Promise<KeyServiceProvider> {
  const provider = await openKeyServiceProvider({
    endpoint: server.endpoint,
    transport: { kind: "insecure" },
    activeKekId: "s3proxy-kek",
    oldKekIds: ["s3proxy-kek-2024"],
    ...overrides,
  });
  cleanup.push(() => provider.close());
  return provider;
}

async function failure(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail("expected a failure");
}

function assertFails(err: Error, code: KeyErrorCode, patterns: readonly RegExp[] = []): void {
  assert.ok(isKeyProviderError(err, code), `expected ${code}, got ${errorTexts(err).split("\n")[0]}`);
  assert.equal(err.retryable, code === "KeyProviderUnavailable");
  for (const pattern of patterns) assert.match(err.message, pattern);
  assertNoSecrets(errorTexts(err), [master]);
}

/** A port nothing listens on: bound once by a server that is stopped again. */
async function freePort(): Promise<number> {
  const server = await startKeyServiceServer({ master });
  server.stop();
  return server.port;
}

void describe("KeyServiceProvider", () => {
  void it("asks GetDataKey for 32 bytes and wraps with AES-KW exactly like the aeskw scheme", async () => {
    const server = await serve();
    const provider = await open(server);
    assert.deepEqual(server.requests, [{ data_key_id: "s3proxy-kek", length: 32 }]);
    const dek = dekOf("wire");
    const { kekRef, wrappedDek } = await provider.wrapDek(dek, context);
    assert.equal(kekRef, `${KEYSERVICE_SCHEME}:s3proxy-kek`);
    assert.deepEqual(wrappedDek, wrapDekAesKw(server.keyFor("s3proxy-kek"), dek));
    assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dek);
    assert.equal(server.requests.length, 1, "the active KEK is fetched once");
  });

  void it("fetches an old KEK once for many concurrent first uses, and retries after a failed fetch", async () => {
    const server = await serve();
    const provider = await open(server);
    const wrapped = wrapDekAesKw(server.keyFor("s3proxy-kek-2024"), dekOf("old"));
    let failNext = true;
    server.respond = () => {
      if (!failNext) return undefined;
      failNext = false;
      return { error: { code: grpc.status.UNAVAILABLE, details: "warming up" } };
    };
    const first = await failure(provider.unwrapDek("grpc:s3proxy-kek-2024", wrapped, context));
    assertFails(first, "KeyProviderUnavailable", [
      /UNAVAILABLE: warming up/,
      /GetDataKey\("s3proxy-kek-2024"\)/,
    ]);
    const before = server.requests.length;
    const all = await Promise.all(
      Array.from({ length: 100 }, () => provider.unwrapDek("grpc:s3proxy-kek-2024", wrapped, context)),
    );
    assert.ok(all.every((dek) => dek.equals(dekOf("old"))));
    assert.equal(server.requests.length - before, 1);
  });

  void it("keeps working with fetched KEKs while the service is down; others fail retryably until it is back", async () => {
    const server = await serve();
    const provider = await open(server, { maxReconnectBackoffMs: 50 });
    const wrappedOld = wrapDekAesKw(server.keyFor("s3proxy-kek-2024"), dekOf("outage"));
    server.stop();

    const { kekRef, wrappedDek } = await provider.wrapDek(dekOf("outage"), context);
    assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dekOf("outage"));
    const err = await failure(provider.unwrapDek("grpc:s3proxy-kek-2024", wrappedOld, context));
    assertFails(err, "KeyProviderUnavailable", [
      /UNAVAILABLE/,
      new RegExp(server.endpoint.replaceAll(".", "\\.")),
    ]);

    const again = await serve(server.port);
    let dek: Buffer | undefined;
    for (let attempt = 0; attempt < 100 && dek === undefined; attempt += 1) {
      dek = await provider.unwrapDek("grpc:s3proxy-kek-2024", wrappedOld, context).catch((e: unknown) => {
        if (!isKeyProviderError(e, "KeyProviderUnavailable")) throw e;
        return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20));
      });
    }
    assert.deepEqual(dek, dekOf("outage"));
    assert.equal(again.requests.length >= 1, true);
  });

  void it("gives up after the deadline with retryable KeyProviderUnavailable (DEADLINE_EXCEEDED)", async () => {
    const server = await serve();
    const provider = await open(server, { timeoutMs: 100 });
    server.respond = () => ({ delayMs: 1000 });
    const started = Date.now();
    const err = await failure(provider.unwrapDek("grpc:s3proxy-kek-2024", Buffer.alloc(40, 1), context));
    assertFails(err, "KeyProviderUnavailable", [/DEADLINE_EXCEEDED/]);
    assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
  });

  void it("fails to open when the service is unreachable (retryable) or refuses (not retryable)", async () => {
    const unreachable = await failure(open({ endpoint: `127.0.0.1:${await freePort()}` }));
    assertFails(unreachable, "KeyProviderUnavailable", [/UNAVAILABLE/]);

    const server = await serve();
    const cases: Array<[grpc.status, KeyErrorCode, RegExp]> = [
      [grpc.status.PERMISSION_DENIED, "KeySourceInvalid", /PERMISSION_DENIED: nope/],
      [grpc.status.UNIMPLEMENTED, "KeySourceInvalid", /UNIMPLEMENTED/],
      [grpc.status.NOT_FOUND, "KekNotFound", /NOT_FOUND/],
      [grpc.status.INTERNAL, "KeyProviderUnavailable", /INTERNAL/],
    ];
    for (const [code, expected, pattern] of cases) {
      server.respond = () => ({ error: { code, details: "nope" } });
      assertFails(await failure(open(server)), expected, [pattern]);
    }
  });

  void it("refuses keys of the wrong length, all-zero keys and one key under two ids", async () => {
    const server = await serve();
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(16, 1), /returned 16 bytes for "s3proxy-kek", not 32/],
      [Buffer.alloc(0), /returned 0 bytes/],
      [Buffer.alloc(32), /all-zero key/],
    ];
    for (const [key, pattern] of cases) {
      server.respond = () => ({ key });
      assertFails(await failure(open(server)), "KeySourceInvalid", [pattern]);
    }
    server.respond = () => ({ key: server.keyFor("constant") });
    const provider = await open(server);
    const err = await failure(provider.unwrapDek("grpc:s3proxy-kek-2024", Buffer.alloc(40, 1), context));
    assertFails(err, "KeySourceInvalid", [/the same key for "s3proxy-kek-2024" and "s3proxy-kek"/]);
  });

  void it("talks TLS, verifying the service against the configured CA", async () => {
    const pki = await createTestPki();
    cleanup.push(() => pki.cleanup());
    const { key, cert } = pki.serverCert("127.0.0.1");
    const server = await startKeyServiceServer({
      master,
      credentials: grpc.ServerCredentials.createSsl(null, [
        { private_key: Buffer.from(key), cert_chain: Buffer.from(cert) },
      ]),
    });
    cleanup.push(() => server.stop());
    const provider = await open(server, { transport: { kind: "tls", caFile: pki.ca.certPath } });
    const { kekRef, wrappedDek } = await provider.wrapDek(dekOf("tls"), context);
    assert.deepEqual(await provider.unwrapDek(kekRef, wrappedDek, context), dekOf("tls"));

    const untrusted = await failure(open(server, { transport: { kind: "tls" } }));
    assertFails(untrusted, "KeyProviderUnavailable", [/UNAVAILABLE/]);
    const plain = await failure(open(server, { timeoutMs: 500 }));
    assert.ok(isKeyProviderError(plain), errorTexts(plain));

    const dir = await tempDir();
    const looseKey = join(dir, "client-key.pem");
    await writeWithMode(looseKey, key, 0o644);
    const err = await failure(
      open(server, {
        transport: { kind: "tls", caFile: pki.ca.certPath, certFile: pki.ca.certPath, keyFile: looseKey },
      }),
    );
    assertFails(err, "KeySourceInvalid", [/mode 0644/]);
  });

  void it("zeroes its KEKs on close and refuses calls afterwards", async () => {
    const kek = Buffer.from(seededRandom("held kek")(32));
    const options = validateKeyServiceOptions({
      endpoint: "keyservice.test:9000",
      transport: { kind: "insecure" },
      activeKekId: "held",
    });
    let closed = false;
    const provider = new KeyServiceProvider(options, {
      endpoint: options.endpoint,
      getDataKey: () => Promise.resolve(kek),
      close: () => {
        closed = true;
      },
    });
    await provider.prefetch();
    await provider.wrapDek(dekOf("close"), context);
    await provider.close();
    assert.ok(closed);
    assert.ok(
      kek.every((b) => b === 0),
      "the KEK is zeroed",
    );
    assertFails(await failure(provider.wrapDek(dekOf("close"), context)), "KeyProviderUnavailable", [
      /closed/,
    ]);
  });

  void it("is registered by remoteKeyProviders and wraps in the key ring when --kek-provider grpc", async () => {
    const server = await serve();
    const keyService: KeyServiceProviderOptions = {
      endpoint: server.endpoint,
      transport: { kind: "insecure" },
      activeKekId: "ring-kek",
    };
    const flags = {
      kekProvider: undefined,
      kmsKeyId: undefined,
      kmsOldKeyIds: [],
      kmsEndpoint: undefined,
      region: undefined,
      dekCacheTtlSeconds: 60,
      dekCacheSize: 100,
    };
    const config = parseKeyRingOptions({ ...flags, keyService });
    assert.equal(activeKekProvider(config), "grpc");
    const registrations = remoteKeyProviders(config);
    assert.deepEqual(
      registrations.map(({ kind, remote }) => [kind, remote]),
      [["grpc", true]],
    );
    const ring = await buildKeyRing(registrations, { active: "grpc", dekCache: config.dekCache });
    const { kekRef, wrappedDek } = await ring.wrapDek(dekOf("ring"), context);
    assert.equal(kekRef, "grpc:ring-kek");
    assert.deepEqual(await ring.unwrapDek(kekRef, wrappedDek, context), dekOf("ring"));
    assert.throws(
      () => parseKeyRingOptions({ ...flags, kekProvider: "grpc" }),
      /--kek-provider grpc needs --keyservice-endpoint/,
    );
  });

  void it("validates its options", () => {
    const base: KeyServiceProviderOptions = {
      endpoint: "keyservice.kube-system:9000",
      transport: { kind: "insecure" },
      activeKekId: "s3proxy-kek",
    };
    assert.equal(validateKeyServiceOptions({ ...base, endpoint: "[::1]:9000" }).timeoutMs, 5000);
    const cases: Array<[Partial<KeyServiceProviderOptions>, RegExp]> = [
      [{ endpoint: "keyservice" }, /is not host:port/],
      [{ endpoint: "keyservice:0" }, /is not host:port/],
      [{ endpoint: "http://keyservice:9000" }, /is not host:port/],
      [{ activeKekId: "a b" }, /the active key service KEK id \(3 characters\) is invalid/],
      [{ oldKekIds: ["s3proxy-kek"] }, /"s3proxy-kek" is given twice/],
      [{ timeoutMs: 0 }, /timeout must be a positive/],
      [{ transport: { kind: "tls", certFile: "/c.pem" } }, /needs both a certificate and a key file/],
    ];
    for (const [overrides, pattern] of cases) {
      assert.throws(
        () => validateKeyServiceOptions({ ...base, ...overrides }),
        (err: unknown) => {
          assert.ok(isKeyProviderError(err, "KeySourceInvalid"));
          assert.match(err.message, pattern);
          return true;
        },
      );
    }
  });
});
