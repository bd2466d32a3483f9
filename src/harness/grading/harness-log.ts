/**
 * The markers a harness writes into an evaluation log around the test output, as SWE-bench writes them. Our
 * executor writes the same ones, so `swe-review grade` reads its logs and SWE-bench's alike.
 */
export const LOG_MARKERS = {
  applyFailed: ">>>>> Patch Apply Failed",
  applied: ">>>>> Applied Patch",
  resetFailed: ">>>>> Reset Failed",
  testsErrored: ">>>>> Tests Errored",
  testsTimedOut: ">>>>> Tests Timed Out",
  startTestOutput: ">>>>> Start Test Output",
  endTestOutput: ">>>>> End Test Output",
} as const;

/**
 * How the run behind a log went before any test result is read. Anything but `ok` means the log cannot resolve
 * the instance: the patch did not apply, the test files could not be reset, or the test command errored or ran
 * out of time, or the log has a `Start Test Output` marker without its `End Test Output` (the run was cut short).
 */
export const LOG_OUTCOMES = [
  "ok",
  "patch_apply_failed",
  "reset_failed",
  "tests_errored",
  "tests_timed_out",
  "test_output_unterminated",
] as const;
/** One of `LOG_OUTCOMES`: how the run behind a log went; anything but `ok` cannot resolve the instance. */
export type LogOutcome = (typeof LOG_OUTCOMES)[number];

export interface HarnessLog {
  outcome: LogOutcome;
  /** False only when the log says the candidate patch failed to apply. */
  applied: boolean;
  /** The part of the log the test command wrote, where the log marks it; otherwise the whole log. */
  testOutput: string;
}

/**
 * Reads a harness log the way SWE-bench's grader does:
 * - any failure marker ends it (a `Patch Apply Failed` anywhere counts, even one followed by a successful retry,
 *   as SWE-bench counts it);
 * - the test output is what lies between `Start Test Output` and `End Test Output` (current SWE-bench logs and
 *   ours), or else what follows the last `Applied Patch` marker (SWE-bench 1.x logs), or else the whole text (a
 *   bare test log).
 */
export function readHarnessLog(log: string): HarnessLog {
  const failure = failureOutcome(log);
  if (failure) return { outcome: failure, applied: failure !== "patch_apply_failed", testOutput: "" };
  const output = testOutput(log);
  if (output === undefined) return { outcome: "test_output_unterminated", applied: true, testOutput: "" };
  return { outcome: "ok", applied: true, testOutput: output };
}

function failureOutcome(log: string): LogOutcome | undefined {
  if (log.includes(LOG_MARKERS.applyFailed)) return "patch_apply_failed";
  if (log.includes(LOG_MARKERS.resetFailed)) return "reset_failed";
  if (log.includes(LOG_MARKERS.testsTimedOut)) return "tests_timed_out";
  if (log.includes(LOG_MARKERS.testsErrored)) return "tests_errored";
  return undefined;
}

function testOutput(log: string): string | undefined {
  const start = log.indexOf(LOG_MARKERS.startTestOutput);
  if (start !== -1) {
    const from = start + LOG_MARKERS.startTestOutput.length;
    const end = log.indexOf(LOG_MARKERS.endTestOutput, from);
    return end === -1 ? undefined : log.slice(from, end);
  }
  const applied = log.lastIndexOf(LOG_MARKERS.applied);
  if (applied !== -1) {
    const lineEnd = log.indexOf("\n", applied);
    return lineEnd === -1 ? "" : log.slice(lineEnd + 1);
  }
  return log;
}

/** What every marker starts with. */
const MARKER_PREFIX = />>>>> /g;

/**
 * Text a command printed, made safe to put in a harness log: whatever would read as a marker (`>>>>> End Test
 * Output` printed by the tests, a file named like a marker) is written `(>>>>>) …`, so a grader reading the log
 * back (`swe-review grade`) finds only the harness's own markers.
 */
export function defuseMarkers(text: string): string {
  return text.replace(MARKER_PREFIX, "(>>>>>) ");
}
