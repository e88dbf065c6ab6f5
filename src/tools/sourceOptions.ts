/** The flags that go with an `<object>` argument of `inspect` and `decrypt`: a local file's metadata, a version. */
import type { Argv } from "yargs";

export function sourceOptions<T>(y: Argv<T>) {
  return y
    .positional("object", {
      type: "string",
      demandOption: true,
      describe: "s3://bucket/key[?versionId=ID] (read from S3 directly), or a local file of the stored bytes",
    })
    .option("metadata", {
      type: "string",
      describe: "with a local file: its metadata (`aws s3api head-object` output or a map of x-amz-meta-*)",
    })
    .option("version-id", { type: "string", describe: "with s3://: the object version to read" });
}
