import { recordStatus, type StatusMap, type TestStatus } from "./status.js";
import { logLines } from "./text.js";

/** What follows ` ... ` on a `runtests.py --verbosity 2` line. */
function outcomeOf(text: string): TestStatus | undefined {
  const outcome = text.trim();
  if (/^ok$/i.test(outcome)) return "PASSED";
  if (outcome === "FAIL") return "FAILED";
  if (outcome === "ERROR") return "ERROR";
  if (/^skipped\b/.test(outcome)) return "SKIPPED";
  if (outcome === "expected failure") return "XFAIL";
  if (outcome === "unexpected success") return "XPASS";
  return undefined;
}

/** `FAIL: test_x (app.tests.Case)` / `ERROR: ...` headers of the tracebacks after the run. */
const TRACEBACK_HEADER = /^(FAIL|ERROR): (.+)$/;
/** Migration output can run into a test's line: `Applying sites.0002_alter_domain_unique...test_x (app.Case)`. */
const MIGRATION_PREFIX = /^Applying \S+?\.\.\.(?=\S)/;

/**
 * Parses Django's `tests/runtests.py --verbosity 2` output: `test_name (app.tests.Case) ... ok`, or the first
 * line of the test's docstring in place of its name, which is how SWE-bench's lists name such tests. When a test
 * writes output between ` ... ` and its outcome, the outcome on a later line of its own still counts.
 */
export function parseDjangoLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  let pending: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trim();
    if (line.endsWith(" ...")) {
      pending = testName(line.slice(0, -4));
      continue;
    }
    const separator = line.lastIndexOf(" ... ");
    if (separator !== -1) {
      const status = outcomeOf(line.slice(separator + 5));
      if (status) {
        recordStatus(map, testName(line.slice(0, separator)), status);
        pending = undefined;
      } else {
        pending = testName(line.slice(0, line.indexOf(" ... ")));
      }
      continue;
    }
    const header = TRACEBACK_HEADER.exec(line);
    if (header) {
      recordStatus(map, header[2] as string, header[1] === "FAIL" ? "FAILED" : "ERROR");
      continue;
    }
    const status = pending ? outcomeOf(line) : undefined;
    if (pending && status) {
      recordStatus(map, pending, status);
      pending = undefined;
    }
  }
  return map;
}

function testName(text: string): string {
  return text.replace(MIGRATION_PREFIX, "").trim();
}
