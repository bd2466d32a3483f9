import type { ToolResult } from "../tool.js";

/** OpenHands marks error observations with this header (string serializer: header, blank line, message). */
export const ERROR_HEADER = "[An error occurred during execution.]";

export function errorResult(message: string): ToolResult {
  return { output: `${ERROR_HEADER}\n\n${message}`, isError: true };
}

/** A thrown error whose message is shown to the model as a tool error observation. */
export class ToolInputError extends Error {}
