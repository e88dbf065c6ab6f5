/**
 * LIST and GetObjectAttributes through the encrypting step against a fake S3 origin that stores what it
 * receives and lists it as S3 would (stored sizes, ETag = MD5 of the stored bytes): objects PUT through the
 * proxy are listed with their plaintext sizes and the ETags HEAD shows, a legacy plaintext object written
 * straight to the origin stays as stored, a second identical listing costs no HEADs, and `--list-sizes
 * math|off` behave as documented. Answers are parsed by @aws-sdk/client-s3, so the rewritten XML is checked
 * by a real S3 client too.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  GetObjectAttributesCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ciphertextLength } from "../../src/crypto/index.ts";
import { generateKek, LocalKeyProvider } from "../../src/keys/index.ts";
import type { ListSizesPolicy } from "../../src/listing/listSizesPolicy.ts";
import { encryptingStep } from "../../src/pipeline/encryptingStep.ts";
import { objectTargetIn } from "../../src/pipeline/headListedObject.ts";
import { proxyCredentials } from "../../src/sigv4/proxyCredentials.ts";
import { startInProcessProxy, type InProcessProxy } from "../helpers/inProcessProxy.ts";
import { proxiedS3Client } from "../helpers/proxiedS3Client.ts";
import { createTestPki, type TestPki } from "../helpers/testPki.ts";
import { requestOver, tlsVia, type SimpleResponse } from "../helpers/viaProxy.ts";
import type { RigDescriptor } from "../rig/rigEnv.ts";

const HOST = "bucket.s3.us-east-1.amazonaws.com";
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

interface Stored {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let pki: TestPki;
let origin: ReturnType<typeof createHttpsServer>;
const objects = new Map<string, Stored>();
/** Request targets of the HEADs the origin answered, and the x-amz-object-attributes it was asked for. */
const heads: string[] = [];
const attributeRequests: string[] = [];
/** Keys whose HEAD answers this status instead. */
const headStatus = new Map<string, number>();
/** The origin's answer to listings instead of the listing: an oversized one, or an S3 error. */
let listingOverride: "big" | "missing" | undefined;

const md5hex = (b: Buffer): string => createHash("md5").update(b).digest("hex");
const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const formEncode = (s: string): string => encodeURIComponent(s).replace(/%20/g, "+").replace(/%2F/g, "/");

function listing(query: URLSearchParams): string {
  const url = query.get("encoding-type") === "url";
  const entries = [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const entry = (tag: string, key: string, s: Stored, extra = ""): string =>
    `<${tag}><Key>${esc(url ? formEncode(key) : key)}</Key>${extra}<LastModified>2025-01-02T03:04:05.000Z</LastModified>` +
    `<ETag>&quot;${md5hex(s.body)}&quot;</ETag><Size>${s.body.length}</Size><StorageClass>STANDARD</StorageClass></${tag}>`;
  const enc = url ? "<EncodingType>url</EncodingType>" : "";
  if (query.has("versions")) {
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult ${NS}><Name>bucket</Name><Prefix></Prefix>${enc}` +
      `<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
      entries
        .map(([k, s]) => entry("Version", k, s, "<VersionId>null</VersionId><IsLatest>true</IsLatest>"))
        .join("") +
      `<DeleteMarker><Key>gone</Key><VersionId>dm1</VersionId><IsLatest>true</IsLatest>` +
      `<LastModified>2025-01-02T03:04:05.000Z</LastModified></DeleteMarker></ListVersionsResult>`
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult ${NS}><Name>bucket</Name><Prefix></Prefix>${enc}` +
    `<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
    entries.map(([k, s]) => entry("Contents", k, s)).join("") +
    `<CommonPrefixes><Prefix>sub/</Prefix></CommonPrefixes></ListBucketResult>`
  );
}

function attributes(s: Stored, asked: string): string {
  const want = new Set(asked.split(",").map((a) => a.trim()));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<GetObjectAttributesResponse ${NS}>` +
    (want.has("ETag") ? `<ETag>${md5hex(s.body)}</ETag>` : "") +
    (want.has("Checksum") ? "<Checksum><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Checksum>" : "") +
    (want.has("ObjectSize") ? `<ObjectSize>${s.body.length}</ObjectSize>` : "") +
    "</GetObjectAttributesResponse>"
  );
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "https://origin");
  const key = decodeURIComponent(url.pathname.slice(1));
  if (req.method === "PUT") {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      objects.set(key, { headers: req.headers, body });
      res.writeHead(200, { etag: `"${md5hex(body)}"` }).end();
    });
    return;
  }
  req.resume();
  if (key === "" && req.method === "GET") {
    if (listingOverride === "big") {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<ListBucketResult ${NS}><Name>${"x".repeat(17 * 1024 * 1024)}</Name></ListBucketResult>`);
      return;
    }
    if (listingOverride === "missing") {
      res.writeHead(404, { "content-type": "application/xml", "x-amz-request-id": "R404" });
      res.end("<Error><Code>NoSuchBucket</Code><Message>gone &amp; away</Message></Error>");
      return;
    }
    const body = Buffer.from(listing(url.searchParams));
    res.writeHead(200, {
      "content-type": "application/xml",
      "content-length": body.length,
      "x-amz-checksum-crc32": "AAAAAA==",
    });
    res.end(body);
    return;
  }
  const s = objects.get(key);
  if (req.method === "HEAD") heads.push(req.url ?? "");
  const forced = headStatus.get(key);
  if (s === undefined || (req.method === "HEAD" && forced !== undefined)) {
    res.writeHead(forced ?? 404, { "content-type": "application/xml" }).end();
    return;
  }
  if (url.searchParams.has("attributes")) {
    const asked = String(req.headers["x-amz-object-attributes"] ?? "");
    attributeRequests.push(asked);
    res.writeHead(200, { "content-type": "application/xml" }).end(attributes(s, asked));
    return;
  }
  const headers: Record<string, string> = {
    "content-length": String(s.body.length),
    etag: `"${md5hex(s.body)}"`,
  };
  for (const [name, value] of Object.entries(s.headers)) {
    if (typeof value === "string" && name.startsWith("x-amz-meta-")) headers[name] = value;
  }
  res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : s.body);
}

interface Proxied {
  proxy: InProcessProxy;
  sdk: S3Client;
}
const proxies = new Map<ListSizesPolicy, Proxied>();
const keys = new LocalKeyProvider({ active: "unit-1", keys: [generateKek("unit-1")] });

async function startProxy(listSizes: ListSizesPolicy): Promise<Proxied> {
  const proxy = await startInProcessProxy({
    upstreamEndpoint: `https://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    upstreamCaPem: pki.ca.certPem,
    passthrough: false,
    step: encryptingStep({
      keys,
      credentials: proxyCredentials({ kind: "static", accessKeyId: "AKIDPROXY", secretAccessKey: "s" }),
      region: "us-east-1",
      continueTimeoutMs: 1000,
      listSizes,
    }),
  });
  const rig = { region: "us-east-1", accessKeyId: "AKIDCLIENT", secretAccessKey: "c" } as RigDescriptor;
  const sdk = await proxiedS3Client(rig, { port: proxy.port, caFile: proxy.ca.certPath });
  return { proxy, sdk };
}

const sizes = { "zero.bin": 0, "one.bin": 1, "seg+1 ✓&.bin": 65537, "md5.bin": 70_000 } as const;
const LEGACY = { key: "legacy.txt", body: randomBytes(65601) }; // a plaintext size that is also a ciphertext size

before(async () => {
  pki = await createTestPki();
  const { key, cert } = pki.serverCert("127.0.0.1");
  origin = createHttpsServer({ key, cert }, serve);
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  for (const policy of ["head", "math", "off"] as const) proxies.set(policy, await startProxy(policy));
  const { sdk } = proxies.get("head")!;
  for (const [key, size] of Object.entries(sizes)) {
    const body = randomBytes(size);
    const md5 = key === "md5.bin" ? { ContentMD5: createHash("md5").update(body).digest("base64") } : {};
    await sdk.send(new PutObjectCommand({ Bucket: "bucket", Key: key, Body: body, ...md5 }));
  }
  objects.set(LEGACY.key, { headers: {}, body: LEGACY.body });
});
after(async () => {
  for (const { proxy, sdk } of proxies.values()) {
    sdk.destroy();
    await proxy.stop();
  }
  origin.close();
  await pki.cleanup();
});

function raw(policy: ListSizesPolicy, path: string): Promise<SimpleResponse> {
  const { proxy } = proxies.get(policy)!;
  return tlsVia(proxy.port, `${HOST}:443`, { servername: HOST, ca: proxy.ca.certPem }).then((tls) =>
    requestOver(tls, { path, host: HOST, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } }),
  );
}

async function headEtags(sdk: S3Client): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of [...Object.keys(sizes), LEGACY.key]) {
    out.set(key, (await sdk.send(new HeadObjectCommand({ Bucket: "bucket", Key: key }))).ETag ?? "");
  }
  return out;
}

void describe("listings through the encrypting step", () => {
  it("head: plaintext sizes and HEAD's ETags; a second identical listing costs no HEADs", async () => {
    const { sdk } = proxies.get("head")!;
    heads.length = 0;
    const first = await sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
    assert.equal(heads.length, 5, "one HEAD per listed object");
    const expected = new Map<string, number>([...Object.entries(sizes), [LEGACY.key, LEGACY.body.length]]);
    assert.deepEqual(new Map(first.Contents?.map((c) => [c.Key!, c.Size!])), expected);
    const etags = await headEtags(sdk);
    assert.deepEqual(new Map(first.Contents?.map((c) => [c.Key!, c.ETag!])), etags);
    assert.match(etags.get("md5.bin") ?? "", /^"[0-9a-f]{32}"$/, "sealed MD5 shown as a plain MD5");
    assert.match(etags.get("one.bin") ?? "", /^"[0-9a-f]{32}-1"$/);
    assert.equal(etags.get(LEGACY.key), `"${md5hex(LEGACY.body)}"`);
    assert.deepEqual(first.CommonPrefixes, [{ Prefix: "sub/" }]);

    heads.length = 0;
    const second = await sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
    assert.equal(heads.length, 0, "cached");
    assert.deepEqual(second.Contents, first.Contents);
    // ListObjects v1 shares the cache.
    const v1 = await sdk.send(new ListObjectsCommand({ Bucket: "bucket" }));
    assert.deepEqual(new Map(v1.Contents?.map((c) => [c.Key!, c.Size!])), expected);
    assert.equal(heads.length, 0);
  });

  it("head: version listings HEAD the listed version and leave delete markers alone", async () => {
    const { sdk } = proxies.get("head")!;
    objects.set("fresh.bin", { headers: {}, body: randomBytes(40) });
    heads.length = 0;
    const out = await sdk.send(new ListObjectVersionsCommand({ Bucket: "bucket" }));
    assert.deepEqual(heads, ["/fresh.bin?versionId=null"]);
    assert.equal(out.Versions?.find((v) => v.Key === "seg+1 ✓&.bin")?.Size, 65537);
    assert.equal(out.Versions?.find((v) => v.Key === "fresh.bin")?.Size, 40);
    assert.deepEqual(
      out.DeleteMarkers?.map((d) => [d.Key, d.VersionId]),
      [["gone", "dm1"]],
    );
    objects.delete("fresh.bin");
  });

  it("head: EncodingType=url keys are decoded for the HEAD and stay encoded in the answer", async () => {
    objects.set("sp ace+plus.bin", objects.get("one.bin")!);
    heads.length = 0;
    const res = await raw("head", "/?list-type=2&encoding-type=url");
    assert.equal(res.status, 200);
    const xml = res.body.toString();
    assert.deepEqual(heads, ["/sp%20ace%2Bplus.bin"]); // the decoded key, addressed as SigV4 encodes it
    assert.match(
      xml,
      /<Key>sp\+ace%2Bplus\.bin<\/Key><LastModified>[^<]+<\/LastModified><ETag>[^<]+<\/ETag><Size>1<\/Size>/,
    );
    objects.delete("sp ace+plus.bin");
  });

  it("head: recomputes Content-Length and drops checksums of S3's body", async () => {
    const res = await raw("head", "/?list-type=2");
    assert.equal(Number(res.headers["content-length"]), res.body.length);
    assert.equal(res.headers["x-amz-checksum-crc32"], undefined);
  });

  it("head: a HEAD refused with 4xx leaves the entry as listed; a 5xx fails the listing with 503", async () => {
    objects.set("locked.bin", objects.get("one.bin")!);
    objects.set("locked2.bin", { headers: {}, body: randomBytes(65601) });
    headStatus.set("locked2.bin", 403);
    const out = await proxies.get("head")!.sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
    assert.equal(out.Contents?.find((c) => c.Key === "locked2.bin")?.Size, 65601);
    headStatus.set("locked2.bin", 500);
    const res = await raw("head", "/?list-type=2");
    assert.equal(res.status, 503, res.body.toString());
    assert.match(res.body.toString(), /<Code>ServiceUnavailable<\/Code>/);
    headStatus.delete("locked2.bin");
    objects.delete("locked.bin");
    objects.delete("locked2.bin");
  });

  it("head: an envelope that does not open leaves the entry as listed; GetObjectAttributes fails on it", async () => {
    const body = randomBytes(65601);
    objects.set("broken.bin", { headers: { "x-amz-meta-s3proxy-hdr": "not-a-header" }, body });
    try {
      const { sdk } = proxies.get("head")!;
      const out = await sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
      const entry = out.Contents?.find((c) => c.Key === "broken.bin");
      assert.deepEqual([entry?.Size, entry?.ETag], [65601, `"${md5hex(body)}"`]);
      const res = await raw("head", "/broken.bin?attributes");
      assert.equal(res.status, 500, res.body.toString());
      assert.match(res.body.toString(), /<Code>ProxyDecryptFailed<\/Code>/);
    } finally {
      objects.delete("broken.bin");
    }
  });

  it("math: sizes and not-an-MD5 ETags from the stored size alone, no HEADs (legacy objects shown wrong)", async () => {
    heads.length = 0;
    const out = await proxies.get("math")!.sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
    assert.equal(heads.length, 0);
    const got = new Map(out.Contents?.map((c) => [c.Key!, c.Size!]));
    assert.equal(got.get("seg+1 ✓&.bin"), 65537);
    assert.equal(got.get("zero.bin"), 0);
    assert.equal(got.get(LEGACY.key), 65537, "documented: a legacy object with a ciphertext-like size");
    assert.match(out.Contents?.find((c) => c.Key === "md5.bin")?.ETag ?? "", /-1"$/);
  });

  it("off: relays S3's listing unchanged", async () => {
    const out = await proxies.get("off")!.sdk.send(new ListObjectsV2Command({ Bucket: "bucket" }));
    assert.equal(out.Contents?.find((c) => c.Key === "one.bin")?.Size, ciphertextLength(1, 16));
  });

  it("relays answers other than 200 unchanged and refuses a listing over 16 MiB", async () => {
    try {
      listingOverride = "missing";
      const missing = await raw("head", "/?list-type=2");
      assert.equal(missing.status, 404);
      assert.equal(missing.headers["x-amz-request-id"], "R404");
      assert.equal(
        missing.body.toString(),
        "<Error><Code>NoSuchBucket</Code><Message>gone &amp; away</Message></Error>",
      );
      listingOverride = "big";
      const big = await raw("head", "/?list-type=2");
      assert.equal(big.status, 502);
      assert.match(big.body.toString(), /<Code>ProxyListingTooLarge<\/Code>/);
    } finally {
      listingOverride = undefined;
    }
  });

  it("objectTargetIn addresses objects path-style and virtual-hosted, encoded as SigV4 canonicalises", () => {
    assert.equal(
      objectTargetIn("/b?list-type=2", { key: "a b/ü+", versionId: undefined }),
      "/b/a%20b/%C3%BC%2B",
    );
    assert.equal(objectTargetIn("/b/", { key: "/x", versionId: "v 1" }), "/b//x?versionId=v%201");
    assert.equal(objectTargetIn("/?versions", { key: "k", versionId: "null" }), "/k?versionId=null");
  });
});

void describe("GetObjectAttributes through the encrypting step", () => {
  it("shows the plaintext size and visible ETag, without ciphertext checksums", async () => {
    const { sdk } = proxies.get("head")!;
    const head = await sdk.send(new HeadObjectCommand({ Bucket: "bucket", Key: "md5.bin" }));
    const out = await sdk.send(
      new GetObjectAttributesCommand({
        Bucket: "bucket",
        Key: "md5.bin",
        ObjectAttributes: ["ETag", "ObjectSize", "Checksum"],
      }),
    );
    assert.equal(out.ObjectSize, 70_000);
    assert.equal(`"${out.ETag}"`, head.ETag);
    assert.equal(out.Checksum, undefined);
  });

  it("asks S3 for ETag and size itself and hides what the client did not ask for", async () => {
    const { sdk } = proxies.get("head")!;
    attributeRequests.length = 0;
    const out = await sdk.send(
      new GetObjectAttributesCommand({
        Bucket: "bucket",
        Key: "seg+1 ✓&.bin",
        ObjectAttributes: ["ObjectSize"],
      }),
    );
    assert.equal(out.ObjectSize, 65537);
    assert.equal(out.ETag, undefined);
    assert.deepEqual(attributeRequests, ["ObjectSize,ETag"]);
  });

  it("leaves a legacy object as stored", async () => {
    const out = await proxies.get("head")!.sdk.send(
      new GetObjectAttributesCommand({
        Bucket: "bucket",
        Key: LEGACY.key,
        ObjectAttributes: ["ObjectSize", "Checksum"],
      }),
    );
    assert.equal(out.ObjectSize, LEGACY.body.length);
    assert.deepEqual(out.Checksum, { ChecksumCRC32: "AAAAAA==" });
  });
});
