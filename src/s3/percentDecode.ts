/**
 * Strict percent-decoding (RFC 3986 §2.1) of request-target components into UTF-8 text. S3 keys are arbitrary
 * UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), so the proxy must know the
 * exact key a request names: a lenient decoder (`decodeURIComponent` fallbacks, latin-1 guesses, U+FFFD
 * replacement) would let two different byte strings name "the same" key. Anything ambiguous is rejected with
 * S3's `InvalidURI` (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 *   - a `%` not followed by two hex digits;
 *   - percent-decoded bytes that are not well-formed UTF-8 (overlong forms, surrogates, truncated sequences);
 *   - raw characters that cannot appear in a request-target as Node receives it: controls, space, DEL, `#`,
 *     and anything outside printable ASCII (clients percent-encode those; a raw one means a broken client or
 *     a header-injection attempt).
 */
import { ProxyError } from "../errors/ProxyError.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function invalidUri(message: string): ProxyError {
  return new ProxyError("InvalidURI", `Couldn't parse the specified URI: ${message}.`);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** True for the raw characters a request-target may carry: printable ASCII except `#` (RFC 3986 §3.5). */
export function isRequestTargetChar(code: number): boolean {
  return code > 0x20 && code < 0x7f && code !== 0x23;
}

export interface PercentDecodeOptions {
  /**
   * Decode `+` as a space. True only for query components (application/x-www-form-urlencoded, WHATWG URL
   * §5.1); in a path `+` is a literal plus sign.
   */
  plusAsSpace: boolean;
}

/** Decodes one component; throws ProxyError `InvalidURI` on a malformed escape or ill-formed UTF-8. */
export function percentDecode(text: string, options: PercentDecodeOptions): string {
  // Fast path: nothing to decode.
  if (!text.includes("%") && !(options.plusAsSpace && text.includes("+"))) {
    for (let i = 0; i < text.length; i++) {
      if (!isRequestTargetChar(text.charCodeAt(i))) throw invalidUri("invalid character");
    }
    return text;
  }
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isRequestTargetChar(code)) throw invalidUri("invalid character");
    if (code === 0x25 /* % */) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) throw invalidUri("malformed percent-encoding");
      bytes[n++] = hi * 16 + lo;
      i += 2;
    } else if (code === 0x2b /* + */ && options.plusAsSpace) {
      bytes[n++] = 0x20;
    } else {
      bytes[n++] = code;
    }
  }
  try {
    return UTF8.decode(bytes.subarray(0, n));
  } catch (err) {
    throw new ProxyError("InvalidURI", "Couldn't parse the specified URI: invalid UTF-8.", { cause: err });
  }
}
