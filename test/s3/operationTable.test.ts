/**
 * The operation table's own invariants: entries are pairwise disjoint (so no request can match two and table
 * order never matters), names are unique, and every operation of the S3 API model (botocore's
 * service-2.json, 111 operations, checked in as s3ApiShapes.json) is recognised under its own name, path-style
 * and virtual-hosted, with and without the `x-id` parameter the JavaScript SDK v3 adds.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { classifyOperation } from "../../src/s3/classifyOperation.ts";
import { OPERATIONS, type OperationRule } from "../../src/s3/operationTable.ts";
import { parseS3Endpoint } from "../../src/s3/parseS3Endpoint.ts";

interface ApiShape {
  name: string;
  method: string;
  requestUri: string;
  requiredQuery: string[];
  requiredHeaders: string[];
  deprecated?: boolean;
}

const api = JSON.parse(readFileSync(new URL("./s3ApiShapes.json", import.meta.url), "utf8")) as {
  operations: ApiShape[];
};

const SAMPLE_VALUES: Record<string, string> = { uploadId: "2~abc", partNumber: "1", id: "config-1" };

function overlaps(a: OperationRule, b: OperationRule): boolean {
  if (a.method !== b.method || a.target !== b.target) return false;
  if (a.key !== undefined && b.key !== undefined && a.key !== b.key) return false;
  if (a.styles !== undefined && b.styles !== undefined && !a.styles.some((s) => b.styles?.includes(s))) {
    return false;
  }
  if (a.headers.length !== b.headers.length || !a.headers.every((h) => b.headers.includes(h))) return false;
  const allowed = (r: OperationRule, name: string): boolean =>
    Object.hasOwn(r.subresources, name) || r.params.includes(name);
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const [name, value] of Object.entries(x.subresources)) {
      if (!allowed(y, name)) return false;
      const other = y.subresources[name];
      if (value !== undefined && other !== undefined && value !== other) return false;
    }
  }
  return true;
}

describe("operation table", () => {
  it("has unique names", () => {
    const names = OPERATIONS.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
  });

  it("has pairwise disjoint entries", () => {
    for (let i = 0; i < OPERATIONS.length; i++) {
      for (let j = i + 1; j < OPERATIONS.length; j++) {
        const a = OPERATIONS[i];
        const b = OPERATIONS[j];
        assert.ok(a && b);
        assert.equal(overlaps(a, b), false, `${a.name} overlaps ${b.name}`);
      }
    }
  });

  it("gives every refusal a code and no other action one", () => {
    for (const r of OPERATIONS) {
      assert.equal(r.refuseCode !== undefined, r.action === "refuse", r.name);
      assert.ok(r.why.length > 0, r.name);
    }
  });

  it("encrypts only PutObject and decrypts only GetObject, HeadObject and GetObjectAttributes", () => {
    assert.deepEqual(
      OPERATIONS.filter((r) => r.action === "encrypt").map((r) => r.name),
      ["PutObject"],
    );
    assert.deepEqual(
      OPERATIONS.filter((r) => r.action === "decrypt").map((r) => r.name),
      ["GetObject", "HeadObject", "GetObjectAttributes"],
    );
  });

  it("forwards nothing that takes object data", () => {
    for (const r of OPERATIONS) {
      if (r.body === "object-data") assert.notEqual(r.action, "forward", r.name);
    }
  });
});

describe("every operation of the S3 API model", () => {
  assert.equal(api.operations.length, 111);
  for (const op of api.operations) {
    const rule = OPERATIONS.find((r) => r.name === op.name || r.aliases.includes(op.name));
    it(`${op.name}: ${op.method} ${op.requestUri}`, () => {
      assert.ok(rule, `no table entry for ${op.name}`);
      const [uriPath = "", uriQuery] = op.requestUri.split("?");
      const query = [
        ...(uriQuery ? uriQuery.split("&") : []),
        ...op.requiredQuery.map((q) => `${q}=${encodeURIComponent(SAMPLE_VALUES[q] ?? "x")}`),
      ];
      const headers = Object.fromEntries(op.requiredHeaders.map((h) => [h, "value"]));
      const requests: [host: string, path: string][] = [];
      if (op.name === "WriteGetObjectResponse") {
        requests.push(["io-use1-001.s3-object-lambda.us-east-1.amazonaws.com", uriPath]);
      } else if (op.name === "ListDirectoryBuckets") {
        requests.push(["s3express-control.us-west-2.amazonaws.com", uriPath]);
      } else {
        const path = uriPath.replace("{Bucket}", "bucket").replace("{Key+}", "some/key+name");
        requests.push(["s3.us-east-1.amazonaws.com", path]);
        if (path !== "/")
          requests.push(["bucket.s3.us-east-1.amazonaws.com", path.replace(/^\/bucket/, "") || "/"]);
      }
      for (const [host, path] of requests) {
        for (const q of [query, [...query, `x-id=${op.name}`]]) {
          const target = q.length > 0 ? `${path}?${q.join("&")}` : path;
          const got = classifyOperation({
            method: op.method,
            endpoint: parseS3Endpoint(host, target),
            headers,
          });
          assert.equal(got.name, rule.name, `${host} ${op.method} ${target}`);
          assert.equal(got.action, op.name === "WriteGetObjectResponse" ? "refuse" : rule.action, target);
        }
      }
    });
  }
});
