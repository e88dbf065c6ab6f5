/**
 * The benchmark's stand-in for S3, run as its own process (bench/lib/children.ts starts it) so that its CPU
 * time is neither the client's nor the proxy's and the three can be told apart. HTTPS only, keep-alive,
 * TCP_NODELAY:
 *
 *   GET /bytes/<n>   200 with n bytes, written in 256 KiB slices of one pre-generated random buffer; signed by the
 *                    encrypting proxy (BENCH_PROXY_KEY_ID), the same bytes as the proxy would have stored them:
 *                    format v1 ciphertext with its envelope metadata, DEK wrapped with the bench KEK
 *   PUT <any path>   body read and discarded; 200 with `x-received-bytes` so the client can check the upload
 *
 * Certificates: `127.0.0.1` (IP SAN) when the client sends no SNI, as the proxy does for an IP upstream
 * endpoint; `localhost` for clients that connect directly or through a tunnel with SNI `localhost`.
 *
 *   node --import tsx bench/lib/originServer.ts <key.pem> <ip-cert.pem> <localhost-cert.pem> <kek.json>
 * prints one JSON line {"port": N} on stdout when listening.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  ciphertextLength,
  createEncryptStream,
  createEnvelope,
  encodeEnvelopeMetadata,
  openObjectKeys,
} from "../../src/crypto/index.ts";
import { dekContextFor, loadLocalKeyProvider } from "../../src/keys/index.ts";
import { BENCH_PROXY_KEY_ID } from "./routes.ts";

const [keyFile, ipCertFile, nameCertFile, kekFile] = process.argv.slice(2);
if (!keyFile || !ipCertFile || !nameCertFile || !kekFile) {
  process.stderr.write("usage: originServer.ts <key.pem> <ip-cert.pem> <localhost-cert.pem> <kek.json>\n");
  process.exit(2);
}
const key = readFileSync(keyFile);

/** One envelope for every stored object: what the encrypted route's proxy unwraps and decrypts. */
const keys = await loadLocalKeyProvider({ kind: "file", path: kekFile });
const { header, dek } = createEnvelope({ layout: "single" });
const wrapped = await keys.wrapDek(dek, dekContextFor(header));
const objectKeys = openObjectKeys(header, dek);
const envelope = encodeEnvelopeMetadata({ header, kekRef: wrapped.kekRef, wrappedDek: wrapped.wrappedDek });

const SLICE = 256 * 1024;
const SOURCE = randomBytes(16 * SLICE);

/** S3-like response headers, so the proxy relays a realistic header block. */
function s3Headers(length: number): Record<string, string | number> {
  return {
    "content-type": "application/octet-stream",
    "content-length": length,
    etag: '"9b2cf535f27731c974343645a3985328"',
    "last-modified": "Tue, 01 Dec 2026 00:00:00 GMT",
    "x-amz-request-id": "0123456789ABCDEF",
    "x-amz-id-2": "benchbenchbenchbenchbenchbenchbenchbenchbench=",
    "accept-ranges": "bytes",
  };
}

function* slices(length: number): Generator<Buffer> {
  for (let sent = 0; sent < length;) {
    const at = sent % SOURCE.length;
    const n = Math.min(SLICE, length - sent, SOURCE.length - at);
    sent += n;
    yield SOURCE.subarray(at, at + n);
  }
}

/** The stored form of `/bytes/<n>`: encrypted as it streams (origin CPU, not the proxy's). */
function sendCiphertext(res: ServerResponse, length: number): void {
  res.writeHead(200, { ...s3Headers(ciphertextLength(length, 16)), ...envelope });
  const encrypt = createEncryptStream({ keys: objectKeys, part: 0, plaintextLength: length });
  pipeline(Readable.from(slices(length), { objectMode: false }), encrypt, res).catch(() => res.destroy());
}

const signedByProxy = (req: IncomingMessage): boolean =>
  (req.headers.authorization ?? "").includes(`Credential=${BENCH_PROXY_KEY_ID}/`);

function sendBytes(res: ServerResponse, length: number): void {
  res.writeHead(200, s3Headers(length));
  let sent = 0;
  const pump = (): void => {
    while (sent < length) {
      const at = sent % SOURCE.length;
      const n = Math.min(SLICE, length - sent, SOURCE.length - at);
      sent += n;
      if (!res.write(SOURCE.subarray(at, at + n))) {
        res.once("drain", pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

const server = createServer(
  {
    key,
    cert: readFileSync(ipCertFile),
    noDelay: true,
    keepAliveTimeout: 600_000,
    requestTimeout: 0,
  },
  (req, res) => {
    res.on("error", () => res.destroy());
    const m = /^\/bytes\/(\d+)$/.exec(req.url ?? "");
    if (req.method === "GET" && m) {
      return signedByProxy(req) ? sendCiphertext(res, Number(m[1])) : sendBytes(res, Number(m[1]));
    }
    if (req.method === "PUT") {
      let received = 0;
      req.on("data", (chunk: Buffer) => (received += chunk.length));
      req.on("end", () => {
        res.writeHead(200, { ...s3Headers(0), "x-received-bytes": received });
        res.end();
      });
      return;
    }
    res.writeHead(404, { "content-length": 0 });
    res.end();
  },
);
server.addContext("localhost", { key, cert: readFileSync(nameCertFile) });
server.on("clientError", (_err, socket) => socket.destroy());
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once("SIGTERM", () => process.exit(0));
