import { recordStatus, type StatusMap, type TestStatus } from "./status.js";
import { logLines } from "./text.js";

/**
 * The one-letter outcomes sympy's `bin/test --verbose` writes after a test's name: `ok`, `F` (failed), `E`
 * (exception), `f` (expected failure), `X` (unexpected pass), `s` (skipped), `w` (skipped as slow), `T` (timed
 * out), `K` (interrupted).
 */
const OUTCOMES: Record<string, TestStatus> = {
  ok: "PASSED",
  F: "FAILED",
  E: "ERROR",
  f: "XFAIL",
  X: "XPASS",
  s: "SKIPPED",
  w: "SKIPPED",
  T: "ERROR",
  K: "ERROR",
};
const OUTCOME = Object.keys(OUTCOMES).join("|");
/** `test_name ok`, `test_name Slow w`, and the last test of a file with the file's verdict: `test_x ok   [FAIL]`. */
const RESULT_LINE = new RegExp(`^(test_\\w+)(?:\\s.*?)?\\s(${OUTCOME})(?:\\s+\\[(?:OK|FAIL)\\])?$`);
/** A test that printed output: its name alone on a line, the outcome on a later line of its own. */
const NAME_ONLY = /^(test_\w+)$/;
const OUTCOME_ONLY = new RegExp(`^(${OUTCOME})(?:\\s+\\[(?:OK|FAIL)\\])?$`);
/** The header of a failure's traceback: `____ sympy/core/tests/test_x.py:test_name ____`. */
const FAILURE_HEADER = /^_{2,} \S+\.py:(test_\w+) _{2,}$/;

/**
 * Parses sympy's `bin/test -C --verbose` output. Tests are named by function name alone (`test_Pow`), as
 * SWE-bench's FAIL_TO_PASS lists name them.
 */
export function parseSympyLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  const headers: string[] = [];
  let pending: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trim();
    const result = RESULT_LINE.exec(line);
    if (result) {
      recordStatus(map, result[1] as string, OUTCOMES[result[2] as string] as TestStatus);
      pending = undefined;
      continue;
    }
    const nameOnly = NAME_ONLY.exec(line);
    if (nameOnly) {
      pending = nameOnly[1];
      continue;
    }
    const outcome = OUTCOME_ONLY.exec(line);
    if (outcome && pending) {
      recordStatus(map, pending, OUTCOMES[outcome[1] as string] as TestStatus);
      pending = undefined;
      continue;
    }
    const header = FAILURE_HEADER.exec(line);
    if (header) headers.push(header[1] as string);
  }
  // A traceback section whose test line was lost in the test's own output still means the test did not pass.
  for (const name of headers) if (!map.has(name)) recordStatus(map, name, "FAILED");
  return map;
}
