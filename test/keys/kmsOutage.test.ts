/**
 * KMS outages as the proxy's key ring sees them, with the real SDK: moto stopped (connection refused), an
 * endpoint that accepts connections and never answers (timeout), KMS throttling and 5xx (scripted answers).
 * Transient failures are retried exactly DEFAULT_RETRY_POLICY.attempts times (counted at the KMS API or the
 * server; sleeps injected and recorded), then surface as KeyProviderUnavailable, which the S3 layer answers
 * with 503 ServiceUnavailable, or SlowDown when throttled. Permanent refusals are not retried. A DEK unwrapped
 * before the outage is still served from the DEK cache (intended: docs/KEYS.md "Outages").
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { after, describe, it } from "node:test";
import { ProxyError } from "../../src/errors/ProxyError.ts";
import { buildKeyRing } from "../../src/keys/buildKeyRing.ts";
import { isKeyProviderError, KeyProviderUnavailableError } from "../../src/keys/errors.ts";
import type { KeyRing } from "../../src/keys/KeyRing.ts";
import { createKmsApi, type KmsApi } from "../../src/keys/kmsApi.ts";
import { KmsKeyProvider } from "../../src/keys/KmsKeyProvider.ts";
import { DEFAULT_RETRY_POLICY } from "../../src/keys/retryTransient.ts";
import { toPipelineError } from "../../src/pipeline/encryptErrors.ts";
import { MOTO_CREDENTIALS, MOTO_REGION, useMotoKms } from "./motoKms.ts";

const kms = useMotoKms();
const ATTEMPTS = DEFAULT_RETRY_POLICY.attempts;
const ARN = "arn:aws:kms:us-east-1:123456789012:key/0b6f7c36-7d7b-4f4e-9d33-3f1d2c1e0a11";
const context = (n: number) => ({ formatVersion: 1, salt: Buffer.alloc(32, n) });

/** A KmsApi that counts the calls of each operation. */
function counting(api: KmsApi): KmsApi & { calls: Record<string, number> } {
  const calls: Record<string, number> = { describeKey: 0, encrypt: 0, decrypt: 0, generateDataKey: 0 };
  const count = (op: string): void => void (calls[op] = (calls[op] ?? 0) + 1);
  return {
    calls,
    describeKey: (...a) => (count("describeKey"), api.describeKey(...a)),
    encrypt: (...a) => (count("encrypt"), api.encrypt(...a)),
    decrypt: (...a) => (count("decrypt"), api.decrypt(...a)),
    generateDataKey: (...a) => (count("generateDataKey"), api.generateDataKey(...a)),
  };
}

function sleeps() {
  const recorded: number[] = [];
  return {
    recorded,
    retryEnvironment: {
      sleep: (ms: number) => (recorded.push(ms), Promise.resolve()),
      random: () => 0.5,
    },
  };
}

function ringOver(api: KmsApi, keyId: string, retryEnvironment: object): Promise<KeyRing> {
  return buildKeyRing([{ kind: "kms", remote: true, create: () => KmsKeyProvider.create(api, { keyId }) }], {
    active: "kms",
    dekCache: { ttlMs: 300_000, maxEntries: 10_000 },
    retryEnvironment,
  });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail("expected a failure");
}

function assertUnavailable(err: unknown, throttled = false): void {
  assert.ok(err instanceof KeyProviderUnavailableError, String(err));
  assert.match(err.message, new RegExp(`after ${ATTEMPTS} attempts`));
  assert.equal(err.throttled, throttled);
  const s3 = toPipelineError(err, true);
  assert.ok(s3 instanceof ProxyError);
  assert.equal(s3.status, 503);
  assert.equal(s3.code, throttled ? "SlowDown" : "ServiceUnavailable");
  assert.equal((toPipelineError(err, false) as ProxyError).status, 503);
}

void describe("KMS down (moto stopped: connection refused)", () => {
  it("wrap, unwrap and data keys fail with KeyProviderUnavailable after the bounded retries; cached DEKs still unwrap", async () => {
    const api = counting(await kms.api());
    const { recorded, retryEnvironment } = sleeps();
    const ring = await ringOver(api, await kms.createKey(), retryEnvironment);

    const hot = await ring.wrapDek(Buffer.alloc(32, 1), context(1));
    assert.deepEqual(await ring.unwrapDek(hot.kekRef, hot.wrappedDek, context(1)), Buffer.alloc(32, 1));
    const cold = await ring.wrapDek(Buffer.alloc(32, 2), context(2));
    assert.deepEqual(api.calls, { describeKey: 1, encrypt: 2, decrypt: 1, generateDataKey: 0 });

    await kms.moto.stop();

    // The hot DEK: served from the cache, no KMS call.
    assert.deepEqual(await ring.unwrapDek(hot.kekRef, hot.wrappedDek, context(1)), Buffer.alloc(32, 1));
    assert.equal(api.calls.decrypt, 1);

    // The cold one: ATTEMPTS Decrypt calls, backoff between them, then 503.
    assertUnavailable(await failure(ring.unwrapDek(cold.kekRef, cold.wrappedDek, context(2))));
    assert.equal(api.calls.decrypt, 1 + ATTEMPTS);
    assert.deepEqual(recorded, [50, 100]);

    assertUnavailable(await failure(ring.wrapDek(Buffer.alloc(32, 3), context(3))));
    assert.equal(api.calls.encrypt, 2 + ATTEMPTS);
    assertUnavailable(await failure(ring.generateDataKey!(context(4))));
    assert.equal(api.calls.generateDataKey, ATTEMPTS);
    assert.equal(recorded.length, 3 * (ATTEMPTS - 1));

    // Concurrent unwraps of the cold DEK share one retry sequence (coalesced).
    const before = api.calls.decrypt;
    const all = await Promise.allSettled(
      Array.from({ length: 20 }, () => ring.unwrapDek(cold.kekRef, cold.wrappedDek, context(2))),
    );
    assert.ok(
      all.every((r) => r.status === "rejected" && isKeyProviderError(r.reason, "KeyProviderUnavailable")),
    );
    assert.equal(api.calls.decrypt - before, ATTEMPTS);
  });

  it("a proxy cannot start its KMS provider while KMS is down: DescribeKey is retried, then it gives up", async () => {
    const api = counting(
      await createKmsApi({ region: MOTO_REGION, endpoint: kms.moto.endpoint, credentials: MOTO_CREDENTIALS }),
    );
    const err = await failure(ringOver(api, ARN, sleeps().retryEnvironment));
    assert.ok(isKeyProviderError(err, "KeyProviderUnavailable"));
    assert.match((err as Error).message, /starting the kms key provider.*after 3 attempts.*ECONNREFUSED/);
    assert.equal(api.calls.describeKey, ATTEMPTS);
  });
});

/** A local HTTP server answering every KMS request with `answer(n)` (n = 1, 2, …), counting requests. */
async function scriptedKms(
  answer: (n: number) => { status: number; body: object },
): Promise<{ server: Server; endpoint: string; requests: () => number }> {
  let requests = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const { status, body } = answer(++requests);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { server, endpoint: `http://127.0.0.1:${port}`, requests: () => requests };
}

const servers: Array<{ close(): unknown }> = [];
after(() => servers.forEach((s) => s.close()));

async function providerAt(endpoint: string, options: { requestTimeoutMs?: number } = {}) {
  const api = await createKmsApi({
    region: MOTO_REGION,
    endpoint,
    credentials: MOTO_CREDENTIALS,
    ...options,
  });
  const { recorded, retryEnvironment } = sleeps();
  const ring = await buildKeyRing(
    [{ kind: "kms", remote: true, create: () => Promise.resolve(new KmsKeyProvider(api, ARN)) }],
    { active: "kms", dekCache: { ttlMs: 300_000, maxEntries: 100 }, retryEnvironment },
  );
  return { ring, recorded };
}

const BLOB = Buffer.alloc(150, 0xab);

void describe("KMS failing in other ways (real SDK, scripted endpoint)", () => {
  it("throttling (ThrottlingException) is retried, then answered with SlowDown", async () => {
    const kmsServer = await scriptedKms(() => ({
      status: 400,
      body: {
        __type: "ThrottlingException",
        message: "You have exceeded the rate at which you may call KMS.",
      },
    }));
    servers.push(kmsServer.server);
    const { ring } = await providerAt(kmsServer.endpoint);
    assertUnavailable(await failure(ring.unwrapDek(`kms:${ARN}`, BLOB, context(1))), true);
    assert.equal(kmsServer.requests(), ATTEMPTS);
  });

  it("KMSInternalException (500) is retried; the call succeeds when KMS recovers within the attempts", async () => {
    const dek = Buffer.alloc(32, 0x5c);
    const kmsServer = await scriptedKms((n) =>
      n < ATTEMPTS
        ? { status: 500, body: { __type: "KMSInternalException", message: "internal" } }
        : {
            status: 200,
            body: { KeyId: ARN, Plaintext: dek.toString("base64"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
          },
    );
    servers.push(kmsServer.server);
    const { ring, recorded } = await providerAt(kmsServer.endpoint);
    assert.deepEqual(await ring.unwrapDek(`kms:${ARN}`, BLOB, context(1)), dek);
    assert.equal(kmsServer.requests(), ATTEMPTS);
    assert.equal(recorded.length, ATTEMPTS - 1);
  });

  it("a refusal (AccessDeniedException) is not retried: DekUnwrapFailed, the ProxyDecryptFailed path", async () => {
    const kmsServer = await scriptedKms(() => ({
      status: 400,
      body: { __type: "AccessDeniedException", message: "User is not authorized to perform: kms:Decrypt" },
    }));
    servers.push(kmsServer.server);
    const { ring, recorded } = await providerAt(kmsServer.endpoint);
    const err = await failure(ring.unwrapDek(`kms:${ARN}`, BLOB, context(1)));
    assert.ok(isKeyProviderError(err, "DekUnwrapFailed"), String(err));
    assert.equal((toPipelineError(err, true) as ProxyError).code, "ProxyDecryptFailed");
    assert.equal(kmsServer.requests(), 1);
    assert.deepEqual(recorded, []);
  });

  it("an endpoint that accepts connections but never answers times out, ATTEMPTS times, then 503", async () => {
    const sockets: Socket[] = [];
    const blackHole = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    servers.push({ close: () => (sockets.forEach((s) => s.destroy()), blackHole.close()) });
    const port = (blackHole.address() as { port: number }).port;
    const { ring } = await providerAt(`http://127.0.0.1:${port}`, { requestTimeoutMs: 300 });
    const started = Date.now();
    const err = await failure(ring.wrapDek(Buffer.alloc(32, 1), context(1)));
    assertUnavailable(err);
    assert.match((err as Error).message, /TimeoutError/);
    assert.equal(sockets.length, ATTEMPTS, "one connection per attempt");
    assert.ok(Date.now() - started >= ATTEMPTS * 300, "each attempt waited for its timeout");
  });
});
