/**
 * An object's tags from a GetObjectTagging answer (`<Tagging><TagSet><Tag><Key/><Value/></Tag>…`,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html) as the `x-amz-tagging` header of a
 * PutObject ("The tag-set must be encoded as URL Query parameters", API_PutObject.html). Needed where the proxy
 * writes a copy itself (a plaintext source re-encrypted): CopyObject's default tagging directive COPY gives the
 * destination the source's tags, and the PUT that replaces it must do the same.
 */
import type { ProxyError } from "../errors/ProxyError.ts";
import { s3XmlParser } from "../xml/s3XmlParser.ts";
import { checkUpstreamXml, unreadableUpstreamXml } from "../xml/unreadableUpstreamXml.ts";

export type Tag = readonly [key: string, value: string];

const parser = s3XmlParser({ trimValues: false, arrays: ["Tagging.TagSet.Tag"] });

const TAGGING = "a Tagging document";
const broken = (): ProxyError => unreadableUpstreamXml(TAGGING);

export function parseTagSet(xml: string): Tag[] {
  checkUpstreamXml(xml.trim(), TAGGING);
  const doc = parser.parse(xml.trim()) as { Tagging?: { TagSet?: { Tag?: unknown[] } | string } };
  const tagging = doc.Tagging;
  if (tagging === undefined) throw broken();
  const set = typeof tagging.TagSet === "object" ? (tagging.TagSet.Tag ?? []) : [];
  return set.map((tag): Tag => {
    const fields = typeof tag === "object" && tag !== null ? (tag as Record<string, unknown>) : {};
    const key = fields["Key"];
    const value = fields["Value"] ?? "";
    if (typeof key !== "string" || typeof value !== "string") throw broken();
    return [key, value];
  });
}

/** `k1=v1&k2=v2`, each part percent-encoded as a URL query component. */
export function encodeTagging(tags: readonly Tag[]): string {
  return tags.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}
