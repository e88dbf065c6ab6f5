import { ToolError, type ToolErrorCode } from "../../src/tools/ToolError.ts";

export const isToolError = (e: unknown, code: ToolErrorCode): boolean =>
  e instanceof ToolError && e.code === code;
