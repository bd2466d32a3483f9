import { recordWorstStatus, type StatusMap, type TestStatus } from "./status.js";
import { logLines, stripDuration } from "./text.js";

const MARKS: Record<string, TestStatus> = {
  "✓": "PASSED",
  "✔": "PASSED",
  "×": "FAILED",
  "✗": "FAILED",
  "❯": "FAILED",
  "↓": "SKIPPED",
  "□": "SKIPPED",
};
/** Verbose reporter: `✓ test/a.test.ts > suite > title 1ms`, `× …`, `↓ …` (skipped), `□ …` (todo). */
const VERBOSE_LINE = /^(✓|✔|×|✗|↓|□)\s+(\S+ > .+)$/;
/** Default reporter, one line per file: `✓ test/a.test.ts (3 tests) 4ms`, `❯ test/a.test.ts (3 tests | 1 failed) 7ms`. */
const FILE_LINE = /^(✓|✔|×|✗|❯|↓)\s+(\S+)\s+\(\d+ tests?(?:\s*\|[^)]*)?\)/;
/** The failure report repeats each failed test's full name: `FAIL test/a.test.ts > suite > title`. */
const FAIL_LINE = /^FAIL\s+(\S+ > .+)$/;

/**
 * Parses Vitest (2 and later) output. Tests are named as Vitest prints them, `file > describe > title`; files by
 * their path. The verbose reporter (`--reporter=verbose`) lists every test; the default one lists files, and names
 * only the failed tests in its failure report.
 */
export function parseVitestLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const raw of logLines(log)) {
    const line = raw.trim();
    const verbose = VERBOSE_LINE.exec(line);
    if (verbose) {
      recordWorstStatus(map, stripDuration(verbose[2] as string), MARKS[verbose[1] as string] as TestStatus);
      continue;
    }
    const file = FILE_LINE.exec(line);
    if (file) {
      recordWorstStatus(map, file[2] as string, MARKS[file[1] as string] as TestStatus);
      continue;
    }
    const failed = FAIL_LINE.exec(line);
    if (failed) recordWorstStatus(map, failed[1] as string, "FAILED");
  }
  return map;
}
