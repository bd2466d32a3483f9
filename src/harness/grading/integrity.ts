import { z } from "zod";
import type { StatusMap } from "../parsers/status.js";

/**
 * Signs that a run's log cannot be taken at its word. A verdict with any of them is not resolved, whatever the
 * parsed tests say:
 * - `exit_code_mismatch`: every test the log names passed (or it names none), yet the test command failed: the
 *   report and the runner disagree, as when something rewrote the report;
 * - `git_metadata_modified`: the candidate's patch wrote into the checkout's `.git` (a hook, a config naming a
 *   program, an object), so nothing git does there can be trusted and the tests were not run.
 */
export const INTEGRITY_FLAGS = ["exit_code_mismatch", "git_metadata_modified"] as const;
export const IntegrityFlagSchema = z.enum(INTEGRITY_FLAGS);
/**
 * One of `INTEGRITY_FLAGS`: a reason a run's log cannot be taken at its word (the verdict is then not
 * resolved).
 */
export type IntegrityFlag = z.infer<typeof IntegrityFlagSchema>;

/** Each flag in a sentence, for logs and progress lines. */
export function integrityReason(flag: IntegrityFlag, exitCode?: number | null): string {
  switch (flag) {
    case "exit_code_mismatch":
      return `every test the log names passed, but the test command ${exitCode === null || exitCode === undefined ? "was killed" : `exited ${exitCode}`}`;
    case "git_metadata_modified":
      return "the candidate patch wrote into the checkout's .git, so its tests were not run";
  }
}

/**
 * A failing exit beside a log in which no test failed. Only then: a runner that exits non-zero because some test
 * outside the graded lists failed (sympy's bin/test does) has that failure in its log.
 */
export function exitCodeContradicts(statuses: StatusMap, exitCode: number | null): boolean {
  if (exitCode === 0) return false;
  return ![...statuses.values()].some((status) => status === "FAILED" || status === "ERROR");
}
