/**
 * Bounded retries of transient key provider failures (injected sleep and randomness, so attempts and delays
 * are counted, not waited for), and the RetryingKeyProvider decorator.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DekUnwrapError,
  isKeyProviderError,
  KekNotFoundError,
  KeyProviderUnavailableError,
} from "../../src/keys/errors.ts";
import { backoffDelayMs, retryTransient, type RetryPolicy } from "../../src/keys/retryTransient.ts";
import { RetryingKeyProvider } from "../../src/keys/RetryingKeyProvider.ts";
import { StubKeyProvider } from "./stubKeyProvider.ts";

const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

function recorder() {
  const sleeps: number[] = [];
  return { sleeps, env: { sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()), random: () => 0.5 } };
}

const context = { formatVersion: 1, salt: Buffer.alloc(32, 9) };

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail("expected a failure");
}

void describe("retryTransient", () => {
  it("draws full-jitter delays under a doubling, capped ceiling", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((r) => backoffDelayMs(r, policy, () => 0.999)),
      [99, 199, 249, 249],
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0),
      0,
    );
  });

  it("gives up after `attempts` transient failures with KeyProviderUnavailable naming the count", async () => {
    const { sleeps, env } = recorder();
    let calls = 0;
    const err = await caught(
      retryTransient(
        "kms wrapDek",
        () => {
          calls++;
          return Promise.reject(new KeyProviderUnavailableError("connect ECONNREFUSED"));
        },
        policy,
        env,
      ),
    );
    assert.equal(calls, 4);
    assert.deepEqual(sleeps, [50, 100, 125]);
    assert.ok(err instanceof KeyProviderUnavailableError);
    assert.match(err.message, /after 4 attempts.*ECONNREFUSED/);
    assert.equal(err.throttled, false);
  });

  it("keeps the throttled flag of the last failure", async () => {
    const err = await caught(
      retryTransient(
        "kms",
        () => Promise.reject(new KeyProviderUnavailableError("ThrottlingException", { throttled: true })),
        { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        recorder().env,
      ),
    );
    assert.ok(err instanceof KeyProviderUnavailableError && err.throttled);
  });

  it("returns the first success", async () => {
    const { sleeps, env } = recorder();
    let calls = 0;
    const result = await retryTransient(
      "x",
      () => (++calls < 3 ? Promise.reject(new KeyProviderUnavailableError("blip")) : Promise.resolve("ok")),
      policy,
      env,
    );
    assert.equal(result, "ok");
    assert.equal(calls, 3);
    assert.equal(sleeps.length, 2);
  });

  it("does not retry permanent failures or foreign errors", async () => {
    for (const failure of [
      new DekUnwrapError("kms:k", "bad"),
      new KekNotFoundError("kms:k", "no"),
      new TypeError("bug"),
    ]) {
      const { sleeps, env } = recorder();
      let calls = 0;
      const err = await caught(
        retryTransient(
          "x",
          () => {
            calls++;
            return Promise.reject(failure);
          },
          policy,
          env,
        ),
      );
      assert.equal(err, failure);
      assert.equal(calls, 1);
      assert.deepEqual(sleeps, []);
    }
  });
});

void describe("RetryingKeyProvider", () => {
  it("retries wrap, unwrap and data-key calls, then surfaces KeyProviderUnavailable", async () => {
    const stub = new StubKeyProvider("stub", "k", true);
    const { sleeps, env } = recorder();
    const retrying = new RetryingKeyProvider(stub, { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 }, env);
    const down = () => [1, 2, 3].map(() => new KeyProviderUnavailableError("down"));

    stub.failures = down();
    assert.ok(
      isKeyProviderError(await caught(retrying.wrapDek(Buffer.alloc(32), context)), "KeyProviderUnavailable"),
    );
    assert.equal(stub.calls.wrapDek, 3);

    stub.failures = down();
    const unwrapErr = await caught(retrying.unwrapDek("stub:k", Buffer.alloc(32), context));
    assert.ok(isKeyProviderError(unwrapErr, "KeyProviderUnavailable"));
    assert.match((unwrapErr as Error).message, /stub unwrapDek\(stub:k\).*after 3 attempts/);
    assert.equal(stub.calls.unwrapDek, 3);

    stub.failures = down();
    await assert.rejects(retrying.generateDataKey!(context), KeyProviderUnavailableError);
    assert.equal(stub.calls.generateDataKey, 3);
    assert.equal(sleeps.length, 6);
  });

  it("recovers when the provider comes back within the attempts", async () => {
    const stub = new StubKeyProvider();
    const retrying = new RetryingKeyProvider(
      stub,
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
      recorder().env,
    );
    const { kekRef, wrappedDek } = await stub.wrapDek(Buffer.alloc(32, 3), context);
    stub.failures = [new KeyProviderUnavailableError("blip"), new KeyProviderUnavailableError("blip")];
    assert.deepEqual(await retrying.unwrapDek(kekRef, wrappedDek, context), Buffer.alloc(32, 3));
    assert.equal(stub.calls.unwrapDek, 3);
  });

  it("exposes the inner provider's identity and generateDataKey only if it has one", () => {
    const plain = new RetryingKeyProvider(new StubKeyProvider("abc", "id-1"));
    assert.equal(plain.scheme, "abc");
    assert.equal(plain.activeKekId(), "id-1");
    assert.deepEqual(plain.listKekIds(), ["id-1"]);
    assert.equal(plain.generateDataKey, undefined);
  });
});
