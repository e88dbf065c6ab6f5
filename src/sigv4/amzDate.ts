/**
 * SigV4 timestamps: `x-amz-date` / `X-Amz-Date` are ISO 8601 basic format in UTC, `YYYYMMDD'T'HHMMSS'Z'`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). Parsing is strict — a value
 * that `Date` would "correct" (month 13, Feb 30) is refused, since the string itself is what was signed.
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch, or undefined when `text` is not a valid ISO 8601 basic UTC timestamp. */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return formatAmzDate(new Date(ms)) === text ? ms : undefined;
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}
