/**
 * The objects `rewrap` visits, in S3's listing order (UTF-8 binary key order), page by page: ListObjectsV2
 * for current versions (the default), ListObjectVersions with `--all-versions` (versions of a key newest
 * first; delete markers are not objects and are skipped). Listing resumes after a position with StartAfter,
 * resp. KeyMarker + VersionIdMarker (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html).
 *
 * Keys are requested URL-encoded (`EncodingType=url`): XML 1.0 cannot carry every character a key may hold,
 * and S3 then encodes keys and markers in answers; decodeUrlEncodedKey turns them back.
 */
import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from "@aws-sdk/client-s3";
import { decodeUrlEncodedKey } from "../../listing/decodeUrlEncodedKey.ts";
import { s3Failure } from "../s3Failure.ts";
import { ToolError } from "../ToolError.ts";
import type { ListingPosition } from "./resumeFile.ts";
import type { ListedObject } from "./RewrapOutcome.ts";

export interface ListOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly allVersions: boolean;
  /** Continue after this position (a resumed run). */
  readonly after?: ListingPosition | undefined;
}

function decoded(text: string | undefined, what: string): string {
  const key = text === undefined ? undefined : decodeUrlEncodedKey(text);
  if (key === undefined) throw new ToolError("S3RequestFailed", `the listing holds an undecodable ${what}`);
  return key;
}

async function* currentVersions(s3: Pick<S3Client, "send">, o: ListOptions): AsyncGenerator<ListedObject> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: o.bucket,
          Prefix: o.prefix === "" ? undefined : o.prefix,
          EncodingType: "url",
          ...(token === undefined
            ? o.after === undefined
              ? {}
              : { StartAfter: o.after.key }
            : { ContinuationToken: token }),
        }),
      );
    } catch (err) {
      throw s3Failure("ListObjectsV2", `s3://${o.bucket}/${o.prefix}`, err);
    }
    for (const entry of page.Contents ?? []) yield { key: decoded(entry.Key, "key"), isLatest: true };
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

async function* allVersions(s3: Pick<S3Client, "send">, o: ListOptions): AsyncGenerator<ListedObject> {
  let keyMarker = o.after?.key;
  let versionMarker = o.after?.versionId;
  for (;;) {
    let page;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: o.bucket,
          Prefix: o.prefix === "" ? undefined : o.prefix,
          EncodingType: "url",
          ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
          ...(versionMarker === undefined ? {} : { VersionIdMarker: versionMarker }),
        }),
      );
    } catch (err) {
      throw s3Failure("ListObjectVersions", `s3://${o.bucket}/${o.prefix}`, err);
    }
    for (const v of page.Versions ?? []) {
      const versionId = v.VersionId;
      yield {
        key: decoded(v.Key, "key"),
        ...(versionId === undefined ? {} : { versionId }),
        isLatest: v.IsLatest === true,
      };
    }
    if (page.IsTruncated !== true) return;
    keyMarker = decoded(page.NextKeyMarker, "key marker");
    versionMarker = page.NextVersionIdMarker;
  }
}

export function listObjects(s3: Pick<S3Client, "send">, options: ListOptions): AsyncGenerator<ListedObject> {
  return options.allVersions ? allVersions(s3, options) : currentVersions(s3, options);
}
