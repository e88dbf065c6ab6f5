/** The copy-source headers become the headers of a read of the source (src/copy/copySourceHeaders.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { copySourceReadHeaders } from "../../src/copy/copySourceHeaders.ts";

void describe("copySourceReadHeaders", () => {
  it("maps the source's SSE-C key and owner; keeps the payer; nothing of the destination", () => {
    // prettier-ignore
    const raw = [
      "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm", "AES256",
      "x-amz-copy-source-server-side-encryption-customer-key", "a2V5",
      "x-amz-copy-source-server-side-encryption-customer-key-MD5", "bWQ1",
      "x-amz-source-expected-bucket-owner", "111122223333",
      "x-amz-expected-bucket-owner", "444455556666",
      "x-amz-server-side-encryption-customer-key", "ZHN0",
      "x-amz-request-payer", "requester",
      "x-amz-meta-a", "b",
    ];
    // prettier-ignore
    assert.deepEqual(copySourceReadHeaders(raw), [
      "x-amz-server-side-encryption-customer-algorithm", "AES256",
      "x-amz-server-side-encryption-customer-key", "a2V5",
      "x-amz-server-side-encryption-customer-key-md5", "bWQ1",
      "x-amz-expected-bucket-owner", "111122223333",
      "x-amz-request-payer", "requester",
    ]);
  });
});
