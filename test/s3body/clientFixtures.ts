/**
 * The real-client request fixtures (captured by captureClientFixtures.ts): their on-disk shape, the plaintext
 * every capture uploaded, and a loader. The plaintext is periodic (period 251, a prime, so chunk boundaries never
 * line up with it) which keeps multi-MiB bodies small once gzipped.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export interface ClientFixture {
  name: string;
  note: string;
  /** `aws --version` of the client that produced it. */
  client: string;
  command: string[];
  method: string;
  url: string;
  /** Node's `req.rawHeaders`: [name, value, name, value, …] as received. */
  rawHeaders: string[];
  /** Gzipped body (after HTTP framing) beside the JSON. */
  bodyFile: string;
  bodyLength: number;
  plaintext: { length: number; sha256: string };
}

export function fixturePlaintext(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i % 251) ^ 0x5a;
  return out;
}

const DIR = fileURLToPath(new URL("./fixtures/", import.meta.url));

export function loadClientFixtures(): { fixture: ClientFixture; body: Buffer }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const fixture = JSON.parse(readFileSync(join(DIR, f), "utf8")) as ClientFixture;
      return { fixture, body: gunzipSync(readFileSync(join(DIR, fixture.bodyFile))) };
    });
}
