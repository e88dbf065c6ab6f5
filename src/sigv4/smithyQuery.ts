/**
 * Converts decoded query parameters into the record smithy's `HttpRequest.query` wants. smithy re-encodes names
 * and values itself (SigV4 `UriEncode`) and sorts them, so it must get them decoded; repeated names become
 * arrays, which it sorts by value as SigV4 requires. The record has no prototype, so names such as
 * `constructor` or `toString` are ordinary keys (`__proto__` is refused earlier, see signableParams.ts).
 */
import type { RawQueryParam } from "./rawQuery.ts";

export type SmithyQuery = Record<string, string | string[]>;

export function toSmithyQuery(params: readonly RawQueryParam[]): SmithyQuery {
  const query = Object.create(null) as SmithyQuery;
  for (const { name, value } of params) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
}
