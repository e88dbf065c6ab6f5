/** The --pkcs11-* and --keyservice-* flags as provider options: nothing configured, complete, or refused. */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import yargs from "yargs";
import { keyProviderOptions, keyServiceConfig, pkcs11Config } from "../../src/cli/keyProviderFlags.ts";

const parse = (args: string[]) => keyProviderOptions(yargs(args)).strict().parseSync();
const env = { S3PROXY_PKCS11_PIN: "1234" };

void describe("PKCS#11 flags", () => {
  void it("configure nothing by default", () => {
    assert.equal(pkcs11Config(parse([]), env, []), undefined);
  });

  void it("give the provider's options, the PIN from S3PROXY_PKCS11_PIN or a file", () => {
    const a = parse([
      "--pkcs11-module=/usr/lib/softhsm/libsofthsm2.so",
      "--pkcs11-token=s3proxy",
      "--pkcs11-key=kek-2025",
      "--pkcs11-old-key=kek-2024",
      "--pkcs11-old-key=kek-2023",
    ]);
    assert.deepEqual(pkcs11Config(a, env, []), {
      module: "/usr/lib/softhsm/libsofthsm2.so",
      token: { label: "s3proxy" },
      pin: { kind: "env", name: "S3PROXY_PKCS11_PIN", env },
      activeKeyLabel: "kek-2025",
      oldKeyLabels: ["kek-2024", "kek-2023"],
      maxSessions: 4,
    });
    const b = parse([
      "--pkcs11-module=libsofthsm2.so",
      "--pkcs11-slot=7",
      "--pkcs11-key=k",
      "--pkcs11-pin-file=pin",
    ]);
    const config = pkcs11Config(b, env, []);
    assert.equal(config?.module, "libsofthsm2.so");
    assert.deepEqual(config?.token, { slotId: 7 });
    assert.deepEqual(config?.pin, { kind: "file", path: resolve("pin") });
  });

  void it("refuse incomplete settings and a PIN flag", () => {
    assert.throws(
      () => pkcs11Config(parse(["--pkcs11-key=k"]), env, []),
      /needs --pkcs11-module and --pkcs11-key/,
    );
    assert.throws(
      () => pkcs11Config(parse(["--pkcs11-module=m", "--pkcs11-key=k"]), env, []),
      /exactly one of --pkcs11-token and --pkcs11-slot/,
    );
    assert.throws(
      () =>
        pkcs11Config(
          parse(["--pkcs11-module=m", "--pkcs11-key=k", "--pkcs11-token=t", "--pkcs11-slot=1"]),
          env,
          [],
        ),
      /exactly one/,
    );
    assert.throws(
      () => pkcs11Config(parse([]), env, ["node", "s3proxy", "--pkcs11-pin=1234"]),
      /never taken as a flag/,
    );
  });
});

void describe("key service flags", () => {
  void it("configure nothing by default", () => {
    assert.equal(keyServiceConfig(parse([])), undefined);
  });

  void it("give the provider's options: TLS by default, plain HTTP/2 only when asked", () => {
    assert.deepEqual(
      keyServiceConfig(
        parse(["--keyservice-endpoint=ks:9000", "--keyservice-kek=s3proxy-kek", "--keyservice-ca=ca.pem"]),
      ),
      {
        endpoint: "ks:9000",
        transport: { kind: "tls", caFile: resolve("ca.pem") },
        activeKekId: "s3proxy-kek",
        oldKekIds: [],
        timeoutMs: 5000,
      },
    );
    const insecure = keyServiceConfig(
      parse([
        "--keyservice-endpoint=key-service.kube-system:9000",
        "--keyservice-kek=new",
        "--keyservice-old-kek=s3proxy-kek",
        "--keyservice-insecure",
        "--keyservice-timeout=1.5",
      ]),
    );
    assert.deepEqual(insecure?.transport, { kind: "insecure" });
    assert.deepEqual(insecure?.oldKekIds, ["s3proxy-kek"]);
    assert.equal(insecure?.timeoutMs, 1500);
  });

  void it("refuse incomplete or contradictory settings", () => {
    assert.throws(() => keyServiceConfig(parse(["--keyservice-kek=k"])), /needs --keyservice-endpoint/);
    assert.throws(
      () =>
        keyServiceConfig(
          parse([
            "--keyservice-endpoint=ks:1",
            "--keyservice-kek=k",
            "--keyservice-insecure",
            "--keyservice-ca=c",
          ]),
        ),
      /turns TLS off/,
    );
  });
});
