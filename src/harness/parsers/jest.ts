import { recordWorstStatus, type StatusMap, type TestStatus } from "./status.js";
import { logLines, stripDuration } from "./text.js";

/** `PASS test/parse.test.js`, `FAIL test/parse.test.js (5.2 s)`: one line per test file. */
const SUITE_LINE = /^(PASS|FAIL)\s+(\S.*)$/;
/** Per-test lines (`--verbose`, or any run of a single file): `✓ title (3 ms)`, `✕ title`, `○ skipped title`. */
const TEST_LINE = /^(✓|✔|√|✕|✖|×|○|✎)\s+(.+)$/;

const MARKS: Record<string, TestStatus> = {
  "✓": "PASSED",
  "✔": "PASSED",
  "√": "PASSED",
  "✕": "FAILED",
  "✖": "FAILED",
  "×": "FAILED",
  "○": "SKIPPED",
  "✎": "SKIPPED",
};

/**
 * Parses Jest's default and verbose output. A test file is named by its path (`test/parse.test.js`); a test by
 * its file and title (`test/timezone.test.js:Add Time days (DST)`), without the enclosing `describe` titles:
 * the names Multi-SWE-bench's FAIL_TO_PASS and PASS_TO_PASS lists use. A suite that runs several times (dayjs runs
 * its tests under several time zones) fails if any run fails.
 */
export function parseJestLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  let suite: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trim();
    const suiteLine = SUITE_LINE.exec(line);
    if (suiteLine) {
      suite = stripDuration(suiteLine[2] as string);
      recordWorstStatus(map, suite, suiteLine[1] === "PASS" ? "PASSED" : "FAILED");
      continue;
    }
    const testLine = TEST_LINE.exec(line);
    if (testLine && suite) {
      const title = stripDuration(testLine[2] as string).replace(/^(?:skipped|todo) /, "");
      recordWorstStatus(map, `${suite}:${title}`, MARKS[testLine[1] as string] as TestStatus);
    }
  }
  return map;
}
