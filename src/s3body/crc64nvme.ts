/**
 * Streaming CRC-64/NVME, S3's default checksum since 2025 (`x-amz-checksum-crc64nvme`,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html). Parameters from the
 * NVM Express NVM Command Set Specification / CRC RevEng catalogue: poly 0xAD93D23594C93659 (reflected
 * 0x9A6C9329AC4BC9B5), init and xorout all ones, reflected in and out, check value 0xAE8B14860A799888 over
 * "123456789". Node has no built-in; BigInt is far too slow per byte, so the 64-bit register is kept as two
 * uint32 halves and processed slicing-by-8 (eight lookups into eight hi/lo table pairs per eight bytes).
 */

const POLY_HI = 0x9a6c9329;
const POLY_LO = 0xac4bc9b5;

interface Tables {
  hi: Uint32Array[];
  lo: Uint32Array[];
}

function buildTables(): Tables {
  const hi = Array.from({ length: 8 }, () => new Uint32Array(256));
  const lo = Array.from({ length: 8 }, () => new Uint32Array(256));
  const h0 = hi[0] as Uint32Array;
  const l0 = lo[0] as Uint32Array;
  for (let b = 0; b < 256; b++) {
    let h = 0;
    let l = b;
    for (let k = 0; k < 8; k++) {
      const lsb = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (lsb) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    h0[b] = h;
    l0[b] = l;
  }
  // T[k][b] = T[k-1][b] >> 8 ^ T[0][T[k-1][b] & 0xff]
  for (let k = 1; k < 8; k++) {
    const ph = hi[k - 1] as Uint32Array;
    const pl = lo[k - 1] as Uint32Array;
    const ch = hi[k] as Uint32Array;
    const cl = lo[k] as Uint32Array;
    for (let b = 0; b < 256; b++) {
      const h = ph[b] as number;
      const l = pl[b] as number;
      const idx = l & 0xff;
      ch[b] = ((h >>> 8) ^ (h0[idx] as number)) >>> 0;
      cl[b] = (((l >>> 8) | ((h & 0xff) << 24)) ^ (l0[idx] as number)) >>> 0;
    }
  }
  return { hi, lo };
}

let cached: Tables | undefined;

/** An incremental CRC-64/NVME whose digest is the 8-byte big-endian value, as S3 encodes it. */
export class Crc64Nvme {
  private readonly t = (cached ??= buildTables());
  private hi = 0xffffffff;
  private lo = 0xffffffff;

  update(data: Uint8Array): void {
    const [h0, h1, h2, h3, h4, h5, h6, h7] = this.t.hi as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    const [l0, l1, l2, l3, l4, l5, l6, l7] = this.t.lo as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    let hi = this.hi;
    let lo = this.lo;
    let i = 0;
    const n = data.length;
    const end8 = n - (n % 8);
    while (i < end8) {
      // The register absorbs eight little-endian bytes; byte j of the result indexes table 7 - j.
      lo ^=
        (data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24);
      hi ^=
        (data[i + 4] as number) |
        ((data[i + 5] as number) << 8) |
        ((data[i + 6] as number) << 16) |
        ((data[i + 7] as number) << 24);
      const b0 = lo & 0xff;
      const b1 = (lo >>> 8) & 0xff;
      const b2 = (lo >>> 16) & 0xff;
      const b3 = lo >>> 24;
      const b4 = hi & 0xff;
      const b5 = (hi >>> 8) & 0xff;
      const b6 = (hi >>> 16) & 0xff;
      const b7 = hi >>> 24;
      hi =
        (h7[b0] as number) ^
        (h6[b1] as number) ^
        (h5[b2] as number) ^
        (h4[b3] as number) ^
        (h3[b4] as number) ^
        (h2[b5] as number) ^
        (h1[b6] as number) ^
        (h0[b7] as number);
      lo =
        (l7[b0] as number) ^
        (l6[b1] as number) ^
        (l5[b2] as number) ^
        (l4[b3] as number) ^
        (l3[b4] as number) ^
        (l2[b5] as number) ^
        (l1[b6] as number) ^
        (l0[b7] as number);
      i += 8;
    }
    while (i < n) {
      const idx = (lo ^ (data[i++] as number)) & 0xff;
      lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ (l0[idx] as number)) >>> 0;
      hi = ((hi >>> 8) ^ (h0[idx] as number)) >>> 0;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }

  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}
