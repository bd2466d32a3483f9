import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../common/errors.js";
import { readPatchText } from "../review/patch-check.js";
import { type ReviewTarget, workingTreeTarget } from "../review/review-target.js";
import { REVIEW_MODES } from "../review/run-review.js";

/** The arguments of `review_patch` (and of `review_and_revise_guidance` when it runs the review itself). */
export const ReviewPatchInputSchema = z.object({
  repository: z
    .string()
    .min(1)
    .describe(
      "Path to the repository: a local git clone (relative paths are resolved against the server's working folder). It is never modified; the review runs in a separate checkout.",
    ),
  issue: z.string().min(1).describe("The issue the change should resolve: its full text."),
  patch: z
    .string()
    .optional()
    .describe("A unified diff to review. Leave out to review the working tree's changes (see diff_from)."),
  diff_from: z
    .string()
    .optional()
    .describe(
      "Review the working tree's changes (new files included) against this revision. Default when no patch is given: HEAD.",
    ),
  base: z
    .string()
    .optional()
    .describe("The commit the patch applies to. Default: HEAD with a patch, the diff_from revision without."),
  model: z
    .string()
    .optional()
    .describe("The reviewer model, by the name it is served under (default: configured)."),
  mode: z
    .enum(REVIEW_MODES)
    .optional()
    .describe("agentic (default): explore, run and test; or a single-turn baseline."),
  max_steps: z.number().int().positive().max(1000).optional().describe("Step limit of the reviewer agent."),
  dependencies: z
    .enum(["setup", "worktree", "none"])
    .optional()
    .describe(
      "How the reviewer gets the project's dependencies: setup (default) installs them in its workspace from the lockfiles (cached); worktree exposes the repository's installed node_modules / .venv read-only (fast, offline); none: the bare checkout.",
    ),
  pr_title: z.string().optional().describe("The change's title, when it has one."),
  pr_body: z.string().optional().describe("The change's description, when it has one."),
});
export type ReviewPatchInput = z.infer<typeof ReviewPatchInputSchema>;

/** The repository folder a tool call names, checked. */
export function repositoryPath(input: Pick<ReviewPatchInput, "repository">, cwd: string): string {
  const path = resolve(cwd, input.repository);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new InputError(
      "repo_missing",
      `repository ${input.repository}: no such folder (resolved to ${path}). Pass the path of a local git clone.`,
    );
  }
  return path;
}

/** The patch and base a tool call asks to review: the given patch, or the working tree against a revision. */
export async function reviewTarget(input: ReviewPatchInput, repository: string): Promise<ReviewTarget> {
  if (input.patch !== undefined && input.diff_from !== undefined) {
    throw new InputError(
      "bad_argument",
      "Give either patch (a unified diff) or diff_from (review the working tree against a revision), not both.",
    );
  }
  if (input.patch !== undefined) {
    return {
      patch: readPatchText(Buffer.from(input.patch), "given as the patch argument"),
      base: input.base ?? "HEAD",
    };
  }
  return workingTreeTarget(repository, input.diff_from ?? "HEAD", {
    given: "diff_from",
    ...(input.base ? { base: input.base } : {}),
  });
}
