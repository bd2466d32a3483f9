import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage, SweReviewError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import type { ToolExtra } from "../progress.js";

/** What a cancelled call answers (the SDK drops answers to cancelled requests; this is for the log). */
export function cancelledResult(reportPath: string): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: `The review was cancelled; what it did is in ${reportPath}.` }],
  };
}

/**
 * A tool handler whose failures are logged (to stderr) and answered as a tool error the calling agent can read:
 * bad input says what was wrong and what to do; anything else is reported as an internal error.
 */
export function logFailures<Input>(
  logger: Logger,
  tool: string,
  handler: (input: Input, extra: ToolExtra) => Promise<CallToolResult>,
): (input: Input, extra: ToolExtra) => Promise<CallToolResult> {
  return async (input, extra) => {
    try {
      return await handler(input, extra);
    } catch (error) {
      const known = error instanceof SweReviewError;
      logger.warn(
        { tool, err: error },
        known ? "tool call failed" : "tool call failed with an internal error",
      );
      return {
        isError: true,
        content: [
          {
            type: "text",
            text: known ? `error: ${error.message}` : `internal error: ${errorMessage(error)}`,
          },
        ],
      };
    }
  };
}
