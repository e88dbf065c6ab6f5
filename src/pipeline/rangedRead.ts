/**
 * What a GetObject/HeadObject asks for beyond "the whole object": one byte range (the `Range` header) or one
 * part (`?partNumber=N`, which S3 calls "effectively a ranged GET for the part", API_GetObject). A Range S3
 * would ignore (parseRangeHeader.ts) makes the request a whole-object read: undefined here.
 *
 * The two together are refused as S3 refuses them, `InvalidRequest` "Cannot specify both Range header and
 * partNumber query parameter" (as recorded by LocalStack's AWS-validated tests), whatever the Range says.
 */
import { ProxyError } from "../errors/ProxyError.ts";
import type { RawHeaders } from "../http/hopByHop.ts";
import { parseRangeHeader, type ByteRangeSpec } from "../http/parseRangeHeader.ts";
import { splitRawQuery } from "../sigv4/rawQuery.ts";

export type RangedRead =
  | { readonly kind: "range"; readonly spec: ByteRangeSpec }
  | { readonly kind: "part"; readonly partNumber: number };

export function rangedReadOf(
  rangeHeader: string | undefined,
  partNumber: number | undefined,
): RangedRead | undefined {
  if (partNumber !== undefined) {
    if (rangeHeader !== undefined) {
      throw new ProxyError(
        "InvalidRequest",
        "Cannot specify both Range header and partNumber query parameter",
      );
    }
    return { kind: "part", partNumber };
  }
  const spec = parseRangeHeader(rangeHeader);
  return spec === undefined ? undefined : { kind: "range", spec };
}

/**
 * An origin-form target without its `partNumber` parameter: the object as a whole, which is what preconditions
 * are evaluated against and what the proxy addresses upstream (it computes part spans itself, FORMAT §9; a HEAD
 * with partNumber would be answered 206 or 416 instead of describing the object).
 */
export function withoutPartNumber(target: string): string {
  const q = target.indexOf("?");
  if (q < 0) return target;
  const query = splitRawQuery(target.slice(q + 1))
    .filter((p) => p.name !== "partNumber")
    .map((p) => p.raw)
    .join("&");
  return query === "" ? target.slice(0, q) : `${target.slice(0, q)}?${query}`;
}

/** Upstream headers without Range and If-Range: for a read whose Range S3 would ignore, or that the proxy maps. */
export function withoutRangeHeaders(headers: RawHeaders): RawHeaders {
  const out: RawHeaders = [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const lower = (headers[i] ?? "").toLowerCase();
    if (lower !== "range" && lower !== "if-range") out.push(headers[i] ?? "", headers[i + 1] ?? "");
  }
  return out;
}
