import { z } from "zod";
import { TestStatusSchema } from "../parsers/status.js";
import { LOG_OUTCOMES } from "./harness-log.js";

/** SWE-bench's resolution: FULL (every FAIL_TO_PASS and PASS_TO_PASS test passes), PARTIAL, NO. */
export const ResolutionSchema = z.enum(["FULL", "PARTIAL", "NO"]);
/** SWE-bench's resolution of a graded candidate: `FULL`, `PARTIAL` or `NO`. */
export type Resolution = z.infer<typeof ResolutionSchema>;

/** The tests of one list (FAIL_TO_PASS or PASS_TO_PASS) split by whether the log shows them passing. */
export const TestListOutcomeSchema = z.object({ passed: z.array(z.string()), failed: z.array(z.string()) });
export type TestListOutcome = z.infer<typeof TestListOutcomeSchema>;

/** What grading a log against an instance's test lists found. `resolved` is true iff `resolution` is FULL. */
export const GradeResultSchema = z.object({
  instance_id: z.string(),
  applied: z.boolean(),
  resolved: z.boolean(),
  resolution: ResolutionSchema,
  f2p: TestListOutcomeSchema,
  p2p: TestListOutcomeSchema,
  /** How the run went before tests were read (`ok`, `patch_apply_failed`, `tests_timed_out`, …). */
  outcome: z.enum(LOG_OUTCOMES),
  /** Every test the log names, with its status. */
  tests: z.record(z.string(), TestStatusSchema),
});
/** What grading a log against an instance's test lists found; see `GradeResultSchema`. */
export type GradeResult = z.infer<typeof GradeResultSchema>;
