/**
 * Reads the server name (SNI, RFC 6066 §3) from the first bytes of a TLS connection without consuming them, so
 * the transparent listener can decide to intercept or tunnel before any handshake happens. Handles a
 * ClientHello split over several TLS records (RFC 8446 §5.1 allows fragmenting handshake messages).
 */

export type ClientHelloResult =
  | { kind: "need-more" }
  | { kind: "not-tls" }
  | { kind: "invalid"; reason: string }
  | { kind: "hello"; serverName: string | undefined };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const NAME_TYPE_HOST = 0x00;
/** A ClientHello larger than this is refused rather than buffered (post-quantum key shares are ~1.2 KB). */
export const MAX_CLIENT_HELLO = 16 * 1024;

/** Concatenates handshake-record payloads until the handshake message is complete. */
function handshakeBytes(buf: Buffer): Buffer | { error: string } | "need-more" {
  const parts: Buffer[] = [];
  let offset = 0;
  let have = 0;
  let need = -1;
  while (need < 0 || have < need) {
    if (buf.length < offset + 5) return "need-more";
    if (buf[offset] !== RECORD_HANDSHAKE) return { error: "record type changed inside ClientHello" };
    const len = buf.readUInt16BE(offset + 3);
    if (len === 0 || len > 16384 + 2048) return { error: "bad record length" };
    if (buf.length < offset + 5 + len) return "need-more";
    parts.push(buf.subarray(offset + 5, offset + 5 + len));
    have += len;
    offset += 5 + len;
    if (need < 0 && have >= 4) {
      const head = Buffer.concat(parts);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO)
        return { error: "first handshake message is not a ClientHello" };
      need = 4 + head.readUIntBE(1, 3);
      if (need > MAX_CLIENT_HELLO) return { error: "ClientHello too large" };
    }
  }
  return Buffer.concat(parts).subarray(0, need);
}

function parseServerNameExtension(ext: Buffer): string | undefined | Error {
  if (ext.length < 2) return new Error("short server_name extension");
  const listLen = ext.readUInt16BE(0);
  if (listLen + 2 > ext.length) return new Error("bad server_name list length");
  let p = 2;
  while (p + 3 <= 2 + listLen) {
    const type = ext[p];
    const len = ext.readUInt16BE(p + 1);
    p += 3;
    if (p + len > ext.length) return new Error("bad server_name length");
    if (type === NAME_TYPE_HOST) return ext.subarray(p, p + len).toString("latin1");
    p += len;
  }
  return undefined;
}

export function parseClientHello(buf: Buffer): ClientHelloResult {
  if (buf.length === 0) return { kind: "need-more" };
  if (buf[0] !== RECORD_HANDSHAKE) return { kind: "not-tls" };
  const hs = handshakeBytes(buf);
  if (hs === "need-more") return { kind: "need-more" };
  if (!Buffer.isBuffer(hs)) return { kind: "invalid", reason: hs.error };
  try {
    // ClientHello body (RFC 8446 §4.1.2): version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
    // compression_methods<1..2^8-1> extensions<8..2^16-1>
    let p = 4 + 2 + 32;
    p += 1 + hs.readUInt8(p);
    p += 2 + hs.readUInt16BE(p);
    p += 1 + hs.readUInt8(p);
    if (p === hs.length) return { kind: "hello", serverName: undefined };
    const extEnd = p + 2 + hs.readUInt16BE(p);
    if (extEnd > hs.length) return { kind: "invalid", reason: "extensions overrun the ClientHello" };
    p += 2;
    while (p + 4 <= extEnd) {
      const type = hs.readUInt16BE(p);
      const len = hs.readUInt16BE(p + 2);
      p += 4;
      if (p + len > extEnd) return { kind: "invalid", reason: "extension overruns the list" };
      if (type === EXT_SERVER_NAME) {
        const name = parseServerNameExtension(hs.subarray(p, p + len));
        if (name instanceof Error) return { kind: "invalid", reason: name.message };
        return { kind: "hello", serverName: name };
      }
      p += len;
    }
    return { kind: "hello", serverName: undefined };
  } catch {
    // readUInt* throws RangeError on a truncated structure inside a complete message.
    return { kind: "invalid", reason: "truncated ClientHello structure" };
  }
}
