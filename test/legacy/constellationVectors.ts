/**
 * The frozen Constellation fixtures (test/vectors/legacy/constellation-v1.json), written by pyca/cryptography
 * (generate_constellation_vectors.py), typed for the tests that read them.
 */
import { readFileSync } from "node:fs";

export interface ConstellationFixture {
  name: string;
  key: string;
  kek: "fixture" | "zero";
  contentType: string;
  /** S3 user metadata as S3 returns it (names without x-amz-meta-), constellation-dek included. */
  metadata: Record<string, string>;
  tagging: string;
  dekHex: string;
  nonceHex: string;
  bodyBase64: string;
  storedLength: number;
  plaintextLength: number;
  plaintextSha256: string;
  plaintextBase64?: string;
}

interface VectorFile {
  library: string;
  keks: { fixture: string; zero: string };
  objects: ConstellationFixture[];
}

export const vectors = JSON.parse(
  readFileSync(new URL("../vectors/legacy/constellation-v1.json", import.meta.url), "utf8"),
) as VectorFile;

export const FIXTURE_KEK = Buffer.from(vectors.keks.fixture, "hex");

/** A fresh copy of the stored body (the reader decrypts in place). */
export const storedBody = (f: ConstellationFixture): Buffer => Buffer.from(f.bodyBase64, "base64");

/** Response-style headers of the fixture: x-amz-meta-* for its metadata. */
export function fixtureHeaders(f: ConstellationFixture): Record<string, string> {
  return Object.fromEntries(Object.entries(f.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
}

export function fixture(name: string): ConstellationFixture {
  const found = vectors.objects.find((o) => o.name === name);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
}
