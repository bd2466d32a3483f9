import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** What a reviewer is given (SWE-Review's `/review_data`): the issue and the candidate PR. */
export const ReviewDataSchema = z.object({
  instanceId: z.string(),
  repo: z.string(),
  problemStatement: z.string(),
  patch: z.string(),
  prTitle: z.string().optional(),
  prBody: z.string().optional(),
  source: z.string().default("ai_generated"),
});
export type ReviewData = z.input<typeof ReviewDataSchema>;

/** Writes `problem_statement.txt`, `predicted.json` and `summary.json` in SWE-Review's layout (reference §5.2). */
export function writeReviewData(dir: string, input: ReviewData): void {
  const data = ReviewDataSchema.parse(input);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "problem_statement.txt"), data.problemStatement);
  const predicted = {
    patch: data.patch,
    pr_title: nonEmpty(data.prTitle) ?? "N/A",
    pr_body: nonEmpty(data.prBody) ?? "N/A",
    source: data.source,
  };
  writeFileSync(join(dir, "predicted.json"), `${JSON.stringify(predicted, null, 2)}\n`);
  const summary = {
    instance_id: data.instanceId,
    repo: data.repo,
    overview: {
      task: "Review predicted_patch and generate a review report",
      note: "This is a simulated PR review - no golden patch or test details provided",
    },
    files: {
      "problem_statement.txt": "Original issue/bug description",
      "predicted.json": {
        description: "AI-generated solution to review",
        key_fields: ["patch", "pr_title", "pr_body"],
      },
    },
  };
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}
