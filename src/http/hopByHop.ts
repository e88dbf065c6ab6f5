/**
 * Hop-by-hop header handling for a proxy (RFC 9110 §7.6.1): the fixed set plus every name listed in
 * `Connection` is dropped before a message is forwarded. Works on Node's raw header arrays
 * ([name, value, name, value, …]) so case, order and repeated headers survive for everything else —
 * signed requests depend on that.
 */

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export type RawHeaders = string[];

/** Names listed in `Connection` headers (lowercased). */
function connectionTokens(raw: RawHeaders): Set<string> {
  const tokens = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() !== "connection") continue;
    for (const t of (raw[i + 1] ?? "").split(",")) {
      const name = t.trim().toLowerCase();
      if (name) tokens.add(name);
    }
  }
  return tokens;
}

/** Returns the raw headers without hop-by-hop ones and without any name in `alsoDrop` (lowercase). */
export function stripHopByHop(raw: RawHeaders, alsoDrop: ReadonlySet<string> = new Set()): RawHeaders {
  const listed = connectionTokens(raw);
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || alsoDrop.has(lower)) continue;
    out.push(name, raw[i + 1] ?? "");
  }
  return out;
}

/** First value of a header in a raw array (case-insensitive), or undefined. */
export function rawHeader(raw: RawHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]?.toLowerCase() === lower) return raw[i + 1];
  return undefined;
}

/** How often a header occurs in a raw array. */
export function countHeader(raw: RawHeaders, name: string): number {
  const lower = name.toLowerCase();
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === lower) n += 1;
  return n;
}
