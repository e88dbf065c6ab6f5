/**
 * The proxy-credentials cache (src/sigv4/refreshingCredentials.ts) with a fake source and an injected clock:
 * long-term keys are fetched once, temporary ones are renewed in the background inside the refresh window and
 * synchronously when nearly expired, concurrent callers share one fetch, and failures surface as
 * ProxyCredentialsUnavailable only when no usable credentials remain.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AwsCredentials } from "../../src/sigv4/AwsCredentials.ts";
import { refreshingCredentials, type CredentialSource } from "../../src/sigv4/refreshingCredentials.ts";
import { rejectsCode } from "./helpers.ts";

const T0 = Date.parse("2030-01-01T00:00:00Z");
const MIN = 60_000;

function clock(): { now: () => Date; set: (ms: number) => void } {
  let t = T0;
  return { now: () => new Date(t), set: (ms) => (t = T0 + ms) };
}

/** A source that hands out numbered credentials, each valid for `lifetimeMs` from the fake clock's now. */
function fakeSource(now: () => Date, lifetimeMs: number | undefined) {
  const calls: ({ forceRefresh?: boolean } | undefined)[] = [];
  let fail = false;
  const source: CredentialSource = (options) => {
    calls.push(options);
    if (fail) return Promise.reject(new Error("IMDS unreachable"));
    const n = calls.length;
    const creds: AwsCredentials = {
      accessKeyId: `AKID${n}`,
      secretAccessKey: `secret${n}`,
      ...(lifetimeMs !== undefined && { expiration: new Date(now().getTime() + lifetimeMs) }),
    };
    return Promise.resolve(creds);
  };
  return { source, calls, setFail: (f: boolean) => (fail = f) };
}

void describe("refreshingCredentials", () => {
  void it("fetches long-term credentials once", async () => {
    const c = clock();
    const f = fakeSource(c.now, undefined);
    const creds = refreshingCredentials(f.source, { now: c.now });
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    c.set(365 * 24 * 60 * MIN);
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    assert.deepEqual(f.calls, [undefined]);
  });

  void it("shares one fetch between concurrent callers", async () => {
    const c = clock();
    const f = fakeSource(c.now, 60 * MIN);
    const creds = refreshingCredentials(f.source, { now: c.now });
    const all = await Promise.all([creds.get(), creds.get(), creds.get()]);
    assert.deepEqual(
      all.map((x) => x.accessKeyId),
      ["AKID1", "AKID1", "AKID1"],
    );
    assert.equal(f.calls.length, 1);
  });

  void it("renews in the background inside the refresh window, forcing the SDK chain to re-resolve", async () => {
    const c = clock();
    const f = fakeSource(c.now, 60 * MIN);
    const creds = refreshingCredentials(f.source, { now: c.now });
    await creds.get();
    c.set(54 * MIN); // 6 min left: outside the 5-minute window
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    assert.equal(f.calls.length, 1);
    c.set(56 * MIN); // 4 min left: still served, renewal started
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    await creds.settled();
    assert.deepEqual(f.calls, [undefined, { forceRefresh: true }]);
    assert.equal((await creds.get()).accessKeyId, "AKID2");
  });

  void it("waits for fresh credentials when less than a minute is left", async () => {
    const c = clock();
    const f = fakeSource(c.now, 60 * MIN);
    const creds = refreshingCredentials(f.source, { now: c.now });
    await creds.get();
    c.set(59.5 * MIN);
    assert.equal((await creds.get()).accessKeyId, "AKID2");
  });

  void it("keeps serving valid credentials when a background renewal fails, and retries after a pause", async () => {
    const c = clock();
    const f = fakeSource(c.now, 60 * MIN);
    const creds = refreshingCredentials(f.source, { now: c.now, retryAfterMs: 10_000 });
    await creds.get();
    f.setFail(true);
    c.set(56 * MIN);
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    await creds.settled();
    c.set(56 * MIN + 5_000);
    assert.equal((await creds.get()).accessKeyId, "AKID1");
    assert.equal(f.calls.length, 2, "no retry within retryAfterMs");
    f.setFail(false);
    c.set(56 * MIN + 10_000);
    await creds.get();
    await creds.settled();
    assert.equal((await creds.get()).accessKeyId, "AKID3");
  });

  void it("reports ProxyCredentialsUnavailable when nothing usable is left", async () => {
    const c = clock();
    const f = fakeSource(c.now, 60 * MIN);
    f.setFail(true);
    const creds = refreshingCredentials(f.source, { now: c.now });
    await rejectsCode(creds.get(), "ProxyCredentialsUnavailable");
    f.setFail(false);
    await creds.get();
    f.setFail(true);
    c.set(59.5 * MIN);
    await rejectsCode(creds.get(), "ProxyCredentialsUnavailable");
  });

  void it("refuses credentials that are already expired or empty", async () => {
    const c = clock();
    const expired = refreshingCredentials(
      () => Promise.resolve({ accessKeyId: "A", secretAccessKey: "S", expiration: new Date(T0 - 1) }),
      { now: c.now },
    );
    await rejectsCode(expired.get(), "ProxyCredentialsUnavailable");
    const empty = refreshingCredentials(() => Promise.resolve({ accessKeyId: "", secretAccessKey: "S" }), {
      now: c.now,
    });
    await rejectsCode(empty.get(), "ProxyCredentialsUnavailable");
  });
});
