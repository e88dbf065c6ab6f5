import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRestoreRequest, MAX_RESTORE_REQUEST_BYTES } from "../../src/s3/checkRestoreRequest.ts";

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe("checkRestoreRequest", () => {
  it("forwards plain restores as the CLI and SDKs send them", () => {
    for (const body of [
      "",
      "  \n",
      "<RestoreRequest/>",
      `<?xml version="1.0" encoding="UTF-8"?><RestoreRequest ${NS}><Days>2</Days><GlacierJobParameters><Tier>Standard</Tier></GlacierJobParameters></RestoreRequest>`,
      `<RestoreRequest ${NS}><Days>10</Days><GlacierJobParameters><Tier>Bulk</Tier></GlacierJobParameters><Description>audit</Description></RestoreRequest>`,
      "<RestoreRequest><Tier>Expedited</Tier></RestoreRequest>",
      "<RestoreRequest>\n  <!-- restore for a week -->\n  <Days>7</Days>\n</RestoreRequest>",
    ]) {
      assert.deepEqual(checkRestoreRequest(body), { action: "forward" }, body);
    }
  });

  it("refuses SELECT restores", () => {
    const select = `<RestoreRequest ${NS}><Type>SELECT</Type><Tier>Standard</Tier><SelectParameters><InputSerialization><CSV/></InputSerialization><ExpressionType>SQL</ExpressionType><Expression>select * from object</Expression><OutputSerialization><CSV/></OutputSerialization></SelectParameters><OutputLocation><S3><BucketName>out</BucketName><Prefix>p</Prefix></S3></OutputLocation></RestoreRequest>`;
    const got = checkRestoreRequest(select);
    assert.equal(got.action, "refuse");
    assert.ok(got.action === "refuse" && got.refuseCode === "NotImplemented" && /Type/.test(got.reason));
  });

  it("refuses any element it does not know, however spelled", () => {
    for (const body of [
      "<RestoreRequest><Type>SELECT</Type></RestoreRequest>",
      "<RestoreRequest><OutputLocation/></RestoreRequest>",
      "<RestoreRequest><SelectParameters/></RestoreRequest>",
      '<RestoreRequest><s3:Type xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">SELECT</s3:Type></RestoreRequest>',
      "<RestoreRequest><type>SELECT</type></RestoreRequest>",
      "<RestoreRequest><Days>1</Days><Future/></RestoreRequest>",
      "<RestoreRequest>text<Days>1</Days></RestoreRequest>",
    ]) {
      assert.equal(checkRestoreRequest(body).action, "refuse", body);
    }
  });

  it("refuses bodies that are not one well-formed RestoreRequest", () => {
    for (const body of [
      "<RestoreRequest><Days>1</Days>",
      "<RestoreRequest></restorerequest>",
      "<SelectRequest/>",
      "<RestoreRequest/><RestoreRequest/>",
      "<a><RestoreRequest/></a>",
      "not xml",
      "<RestoreRequest>text</RestoreRequest>",
      '<!DOCTYPE r [<!ENTITY t "SELECT">]><RestoreRequest><Days>1</Days></RestoreRequest>',
      `<RestoreRequest><Description>${"x".repeat(MAX_RESTORE_REQUEST_BYTES)}</Description></RestoreRequest>`,
    ]) {
      assert.equal(checkRestoreRequest(body).action, "refuse", body.slice(0, 80));
    }
  });
});
