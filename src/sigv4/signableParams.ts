/**
 * The client's query parameters that go into an upstream signature: all of them except SigV4's own
 * query-auth parameters (rawQuery.ts), which the proxy replaces. A parameter named `__proto__` is refused with
 * InvalidArgument: smithy's query canonicalisation (getCanonicalQuery) writes names into a plain object and
 * silently loses that one, so the upstream signature could never match.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import { isQueryAuthParam, splitRawQuery, type RawQueryParam } from "./rawQuery.ts";

export function signableParams(query: string): RawQueryParam[] {
  const params = splitRawQuery(query).filter((p) => !isQueryAuthParam(p.name));
  if (params.some((p) => p.name === "__proto__")) {
    throw new ProxyError("InvalidArgument", "The query parameter name __proto__ is not supported.");
  }
  return params;
}
