/**
 * Decodes XML character data as a parser would (XML 1.0 §4.6 predefined entities, §4.1 character references):
 * the text of a `<Key>` in an S3 listing is the key with `&`, `<`, `>` and quotes escaped, and characters XML
 * cannot carry literally written as references (S3 writes a carriage return in a key as `&#13;`,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html#object-key-xml-related-constraints).
 * Returns undefined for a reference that is not one of those (a document that has it is not well-formed).
 */
const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeXmlText(raw: string): string | undefined {
  if (!raw.includes("&")) return raw;
  let failed = false;
  const out = raw.replace(/&([^;&]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) {
      failed = true;
      return whole;
    }
    const named = NAMED[name];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    const code = m === null ? NaN : m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      failed = true;
      return whole;
    }
    return String.fromCodePoint(code);
  });
  return failed ? undefined : out;
}
