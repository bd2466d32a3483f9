import { z } from "zod";
import { ResolutionSchema, TestListOutcomeSchema } from "../grading/grade-result.js";
import { LOG_OUTCOMES } from "../grading/harness-log.js";
import { IntegrityFlagSchema } from "../grading/integrity.js";

/**
 * The verdict on one candidate: one line of `verify`'s results file. When the run itself failed (setup, sandbox,
 * a test patch that does not apply), `error` says why and `applied`, `resolved` and `resolution` are null: such a
 * candidate was not judged, and is never counted as unresolved.
 */
export const VerifyResultSchema = z.object({
  candidate_id: z.string(),
  instance_id: z.string(),
  applied: z.boolean().nullable(),
  resolved: z.boolean().nullable(),
  resolution: ResolutionSchema.nullable(),
  f2p: TestListOutcomeSchema,
  p2p: TestListOutcomeSchema,
  /** Wall time of the whole verification: checkout, setup, patches, tests, grading. */
  seconds: z.number().nonnegative(),
  /** How the run went before tests were read (`ok`, `patch_apply_failed`, `tests_timed_out`, …). */
  outcome: z.enum(LOG_OUTCOMES).optional(),
  /** The test command's exit code; null when it was killed or did not run. Absent in results of older versions. */
  test_exit_code: z.number().int().nullable().optional(),
  /**
   * Why the log cannot be taken at its word (`exit_code_mismatch`, `git_metadata_modified`); a flagged candidate
   * is not resolved. Empty when nothing is wrong; absent in results of older versions.
   */
  integrity: z.array(IntegrityFlagSchema).optional(),
  /**
   * Test infrastructure the candidate touched (conftest.py, pytest configuration, the spec's runner scripts,
   * sitecustomize.py, a module shadowing the test tool), put back as at the base before the tests ran. Absent in
   * results of older versions.
   */
  restored_test_infrastructure: z.array(z.string()).optional(),
  /** The kept test log. */
  log: z.string().optional(),
  /** `code: message` of an infrastructure failure. */
  error: z.string().optional(),
});
/** The verdict on one candidate (a line of `verify`'s results file); see `VerifyResultSchema`. */
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

/** The line for a candidate whose run failed before it could be judged. */
export function unjudged(
  ids: { candidate_id: string; instance_id: string },
  error: { code: string; message: string },
  seconds = 0,
): VerifyResult {
  return {
    candidate_id: ids.candidate_id,
    instance_id: ids.instance_id,
    applied: null,
    resolved: null,
    resolution: null,
    f2p: { passed: [], failed: [] },
    p2p: { passed: [], failed: [] },
    seconds,
    error: `${error.code}: ${error.message}`,
  };
}

/** A result's `code: message` error split back into its parts. */
export function errorParts(error: string): { code: string; message: string } {
  const at = error.indexOf(":");
  return at > 0
    ? { code: error.slice(0, at), message: error.slice(at + 1).trim() }
    : { code: "verify_failed", message: error };
}
