import { z } from "zod";
import { REPO_NAME } from "../common/repo-name.js";

/** A dataset's `owner/name` (see `REPO_NAME`). */
export const REPO_PATTERN = REPO_NAME;

/**
 * One issue to resolve, in the one shape the rest of swe-review reads, whatever dataset it came from. Field names
 * are SWE-bench's. `FAIL_TO_PASS`/`PASS_TO_PASS` are absent when the source does not carry them (SWE-Review-Bench
 * rows); grading such an instance is an error, never a silent pass.
 */
export const InstanceSchema = z.object({
  instance_id: z.string().min(1),
  /** `owner/name`. */
  repo: z.string().regex(REPO_PATTERN, "expected owner/name"),
  base_commit: z.string().min(1),
  problem_statement: z.string(),
  /** The reference (gold) patch, when the source has one. */
  patch: z.string().optional(),
  test_patch: z.string(),
  version: z.string().optional(),
  FAIL_TO_PASS: z.array(z.string()).optional(),
  PASS_TO_PASS: z.array(z.string()).optional(),
  hints_text: z.string().optional(),
  created_at: z.string().optional(),
  environment_setup_commit: z.string().optional(),
  /** SWE-bench's Docker evaluation image, when the source names one. */
  image_name: z.string().optional(),
  /** Which importer made it. */
  dataset: z.enum(["swe-bench", "multi-swe-bench", "swe-review-bench"]),
});
/** One issue to resolve, with SWE-bench's field names, whatever dataset it came from; see `InstanceSchema`. */
export type Instance = z.infer<typeof InstanceSchema>;
