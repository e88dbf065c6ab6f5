/**
 * proxyCredentials: the static configuration and the AWS default chain's environment link. No network: IMDS is
 * disabled (AWS_EC2_METADATA_DISABLED), container/web-identity variables are removed, the shared config files
 * point nowhere, and any outgoing socket fails the test.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { after, before, describe, it, mock } from "node:test";
import { proxyCredentials } from "../../src/sigv4/proxyCredentials.ts";
import { rejectsCode } from "./helpers.ts";

const ISOLATION: Record<string, string | undefined> = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: join(tmpdir(), "s3proxy-no-such-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), "s3proxy-no-such-aws-credentials"),
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_ROLE_ARN: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_CREDENTIAL_EXPIRATION: undefined,
};

const saved = new Map<string, string | undefined>();
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

let socketsOpened = 0;
before(() => {
  setEnv(ISOLATION);
  mock.method(net.Socket.prototype, "connect", () => {
    socketsOpened += 1;
    throw new Error("proxyCredentials tests must not open sockets");
  });
});
after(() => {
  mock.restoreAll();
  assert.equal(socketsOpened, 0, "a credential provider tried to reach the network");
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

void describe("proxyCredentials: static", () => {
  void it("returns the configured keys, with a session token when given", async () => {
    const plain = proxyCredentials({ kind: "static", accessKeyId: "AKIDSTATIC", secretAccessKey: "s" });
    assert.deepEqual(await plain.get(), { accessKeyId: "AKIDSTATIC", secretAccessKey: "s" });
    const temp = proxyCredentials({
      kind: "static",
      accessKeyId: "ASIA",
      secretAccessKey: "s",
      sessionToken: "t",
    });
    assert.deepEqual(await temp.get(), { accessKeyId: "ASIA", secretAccessKey: "s", sessionToken: "t" });
  });
});

void describe("proxyCredentials: AWS default chain, environment link", () => {
  void it("reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN", async () => {
    setEnv({
      AWS_ACCESS_KEY_ID: "AKIDENV",
      AWS_SECRET_ACCESS_KEY: "envsecret",
      AWS_SESSION_TOKEN: "envtoken",
    });
    const creds = await proxyCredentials({ kind: "default-chain" }).get();
    assert.equal(creds.accessKeyId, "AKIDENV");
    assert.equal(creds.secretAccessKey, "envsecret");
    assert.equal(creds.sessionToken, "envtoken");
    assert.equal(creds.expiration, undefined);
  });

  void it("renews expiring environment credentials before they expire", async () => {
    const t0 = Date.parse("2030-01-01T00:00:00Z");
    let t = t0;
    const now = (): Date => new Date(t);
    setEnv({
      AWS_ACCESS_KEY_ID: "ASIAFIRST",
      AWS_SECRET_ACCESS_KEY: "first",
      AWS_SESSION_TOKEN: "t1",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T01:00:00Z",
    });
    const creds = proxyCredentials({ kind: "default-chain" }, { now });
    const first = await creds.get();
    assert.equal(first.accessKeyId, "ASIAFIRST");
    assert.equal(first.expiration?.toISOString(), "2030-01-01T01:00:00.000Z");

    setEnv({
      AWS_ACCESS_KEY_ID: "ASIASECOND",
      AWS_SECRET_ACCESS_KEY: "second",
      AWS_SESSION_TOKEN: "t2",
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T02:00:00Z",
    });
    t = t0 + 30 * 60_000; // 30 min left: cached
    assert.equal((await creds.get()).accessKeyId, "ASIAFIRST");
    t = t0 + 57 * 60_000; // 3 min left: served while renewing
    assert.equal((await creds.get()).accessKeyId, "ASIAFIRST");
    await creds.settled();
    assert.equal((await creds.get()).accessKeyId, "ASIASECOND");
  });

  void it("reports ProxyCredentialsUnavailable when no link has credentials", async () => {
    setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    const failure = proxyCredentials({ kind: "default-chain" }).get();
    await rejectsCode(failure, "ProxyCredentialsUnavailable");
    // The chain ran to its end (IMDS disabled) rather than failing on the socket guard.
    await failure.catch((err: Error) => {
      assert.match(String((err.cause as Error).message), /Could not load credentials from any providers/);
    });
  });
});
