/** The S3 error an SDK call fails with; fails the test if the call succeeds or fails otherwise. */
import assert from "node:assert/strict";
import { S3ServiceException } from "@aws-sdk/client-s3";

export async function s3Error(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  assert.fail("expected an S3 error");
}
