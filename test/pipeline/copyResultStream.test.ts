/**
 * The CopyObject answer rewrite (src/pipeline/copyResultStream.ts) passes S3's keep-alive whitespace on as it
 * arrives and rewrites the document at the end.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import { createCopyResultRewrite } from "../../src/pipeline/copyResultStream.ts";
import { ProxyError } from "../../src/errors/ProxyError.ts";

const marked = (stored: string): string => stored.replace(/"$/, '-1"');

void describe("createCopyResultRewrite", () => {
  it("relays leading whitespace at once, then the rewritten document", async () => {
    const t = createCopyResultRewrite(marked);
    const out: string[] = [];
    t.on("data", (b: Buffer) => out.push(b.toString()));
    t.write("   \n");
    t.write("  ");
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(out, ["   \n", "  "], "whitespace not held back");
    t.write(" \n<CopyObjectResult><ETag>&quot;ab");
    t.end("&quot;</ETag></CopyObjectResult>");
    await once(t, "end");
    assert.equal(
      out.join(""),
      "   \n   \n<CopyObjectResult><ETag>&quot;ab-1&quot;</ETag></CopyObjectResult>",
    );
  });

  it("fails a document far larger than a copy result", async () => {
    const t = createCopyResultRewrite(marked);
    t.resume();
    t.write("<CopyObjectResult>");
    t.write(Buffer.alloc(70 * 1024, 0x61));
    const [err] = (await once(t, "error")) as [unknown];
    assert.ok(err instanceof ProxyError && err.code === "ProxyUpstreamFailed");
  });
});
