/**
 * A key from a listing answered with `EncodingType=url`: S3 then writes keys (and prefixes) URL-encoded
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html, "EncodingType"), in the form-encoding
 * style: a space is `+`, a plus sign `%2B`, other reserved and non-ASCII bytes `%XX`, `/` left as is. Clients
 * decode it the same way (botocore's unquote_plus). The proxy only needs the key to HEAD the object, so it is
 * lenient about characters left unencoded, but strict about the result being UTF-8: a key it cannot decode
 * exactly is reported as undefined (the entry is then shown as listed), never guessed.
 */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export function decodeUrlEncodedKey(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "%") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === "+") {
      bytes.push(0x20);
    } else {
      const code = text.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      for (const b of encoder.encode(char)) bytes.push(b);
      i += char.length - 1;
    }
  }
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}
