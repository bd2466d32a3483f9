import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ReportFileSchema } from "../../review/report-file.js";
import { stepNotifier } from "../progress.js";
import { ReviewPatchInputSchema } from "../review-patch-input.js";
import type { McpServices } from "../services.js";
import { runToolReview, type ToolReview } from "../tool-review.js";
import { cancelledResult, logFailures } from "./results.js";

export const REVIEW_PATCH = "review_patch";

/** `review_patch`'s structured content: report.json, and where the review's files are. */
export const ReviewPatchOutputSchema = ReportFileSchema.extend({
  report_path: z.string(),
  trajectory_path: z.string(),
});

export function registerReviewPatch(server: McpServer, services: McpServices): void {
  server.registerTool(
    REVIEW_PATCH,
    {
      title: "Review a patch",
      description:
        "Review a change against the issue it should resolve. A reviewer agent traces the issue's root cause in a separate checkout of the repository, applies the change, runs the code and tests in a sandbox, and returns a verdict (approve or request_changes) with defects at file:line. Give a unified diff as patch, or leave it out to review the working tree against diff_from (default HEAD). Takes minutes; progress is reported per agent step; cancel to stop it cleanly.",
      inputSchema: ReviewPatchInputSchema,
      outputSchema: ReviewPatchOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    logFailures(services.logger, REVIEW_PATCH, async (input, extra): Promise<CallToolResult> => {
      const review = await runToolReview(input, services, {
        signal: extra.signal,
        onStep: stepNotifier(extra, services.logger),
      });
      if (review.cancelled) return cancelledResult(review.result.reportPath);
      return {
        structuredContent: structuredReview(review),
        content: [{ type: "text", text: review.markdown }],
      };
    }),
  );
}

export function structuredReview(review: ToolReview): z.infer<typeof ReviewPatchOutputSchema> {
  return {
    ...review.result.reportFile,
    report_path: review.result.reportPath,
    trajectory_path: review.result.trajectoryPath,
  };
}
