import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { InputError } from "../../common/errors.js";
import type { ReviewOutcome } from "../../review/outcome.js";
import { DefectSchema, RecommendationSchema } from "../../review/report.js";
import { outcomeFromFile, outcomeFromGiven } from "../given-report.js";
import { NEXT_ACTIONS, revisionGuidance } from "../guidance.js";
import { stepNotifier } from "../progress.js";
import { ReviewPatchInputSchema } from "../review-patch-input.js";
import type { McpServices } from "../services.js";
import { runToolReview } from "../tool-review.js";
import { cancelledResult, logFailures } from "./results.js";

export const REVIEW_AND_REVISE_GUIDANCE = "review_and_revise_guidance";

export const ReviseGuidanceInputSchema = ReviewPatchInputSchema.partial({
  repository: true,
  issue: true,
}).extend({
  report: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(
      "A review you already have: report.json (review_patch's structured content) or a review report, as an object or JSON text. Leave out to run a review (then give repository and issue).",
    ),
  report_path: z.string().optional().describe("Path of a report.json to act on, instead of report."),
});
type ReviseGuidanceInput = z.infer<typeof ReviseGuidanceInputSchema>;

export const ReviseGuidanceOutputSchema = z.object({
  decision: RecommendationSchema.nullable(),
  /** revise: fix and review again; done: approved; rerun: no verdict, review again. */
  next: z.enum(NEXT_ACTIONS),
  guidance: z.string(),
  defects: z.array(DefectSchema),
  /** The report.json of the review this tool ran, when it ran one. */
  report_path: z.string().optional(),
});

export function registerReviseGuidance(server: McpServer, services: McpServices): void {
  server.registerTool(
    REVIEW_AND_REVISE_GUIDANCE,
    {
      title: "Review, and say what to fix",
      description:
        "The feedback a coding agent should act on: the reviewer's problem statement, assessment and numbered defects with locations and suggestions, and how to revise. Give a review you already have (report or report_path), or repository and issue (and patch or diff_from) to run one first, as review_patch does. next is revise (fix, then review again), done (approved) or rerun (no verdict).",
      inputSchema: ReviseGuidanceInputSchema,
      outputSchema: ReviseGuidanceOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    logFailures(
      services.logger,
      REVIEW_AND_REVISE_GUIDANCE,
      async (input, extra): Promise<CallToolResult> => {
        const given = givenOutcome(input, services.cwd);
        let outcome: ReviewOutcome;
        let reportPath: string | undefined;
        if (given) {
          outcome = given;
        } else {
          const review = await runToolReview(reviewInput(input), services, {
            signal: extra.signal,
            onStep: stepNotifier(extra, services.logger),
          });
          if (review.cancelled) return cancelledResult(review.result.reportPath);
          outcome = review.result.outcome;
          reportPath = review.result.reportPath;
        }
        const guidance = revisionGuidance(outcome);
        const structured: z.infer<typeof ReviseGuidanceOutputSchema> = {
          decision: outcome.decision,
          next: guidance.next,
          guidance: guidance.text,
          defects: outcome.report?.defects ?? [],
          ...(reportPath ? { report_path: reportPath } : {}),
        };
        return { structuredContent: structured, content: [{ type: "text", text: guidance.text }] };
      },
    ),
  );
}

/** The review the caller gave, if any; a clear error when the arguments mix a given review and a review to run. */
function givenOutcome(input: ReviseGuidanceInput, cwd: string): ReviewOutcome | undefined {
  if (input.report !== undefined && input.report_path !== undefined) {
    throw new InputError("bad_argument", "Give either report or report_path, not both.");
  }
  const hasGiven = input.report !== undefined || input.report_path !== undefined;
  const runArguments = ["repository", "issue", "patch", "diff_from"].filter(
    (key) => input[key as keyof ReviseGuidanceInput] !== undefined,
  );
  if (hasGiven && runArguments.length > 0) {
    throw new InputError(
      "bad_argument",
      `Give a review to act on (report or report_path) or what to review (repository, issue, …), not both; got ${runArguments.join(", ")} as well.`,
    );
  }
  if (input.report !== undefined) return outcomeFromGiven(input.report, "report");
  if (input.report_path !== undefined) return outcomeFromFile(input.report_path, cwd);
  return undefined;
}

function reviewInput(input: ReviseGuidanceInput) {
  const { report: _report, report_path: _path, repository, issue, ...rest } = input;
  if (!repository || !issue) {
    throw new InputError(
      "bad_argument",
      "Nothing to act on: give report or report_path (a review you have), or repository and issue to run a review.",
    );
  }
  return { ...rest, repository, issue };
}
