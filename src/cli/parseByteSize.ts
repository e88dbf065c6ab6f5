/** A byte count as a flag takes it: plain bytes, or with a binary suffix (`256MiB`, `1GiB`, `512KiB`). */
const UNITS: Readonly<Record<string, number>> = { "": 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

export function parseByteSize(text: string | number): number | undefined {
  const m = /^\s*([0-9]{1,16})\s*(|KiB|MiB|GiB)\s*$/i.exec(String(text));
  if (m === null) return undefined;
  const value = Number(m[1]) * (UNITS[(m[2] ?? "").toLowerCase()] ?? NaN);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
