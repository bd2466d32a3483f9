import { recordWorstStatus, type StatusMap, type TestStatus } from "./status.js";
import { IndentPath, logLines, stripDuration } from "./text.js";

const PASSED_TEST = /^(?:✓|✔|√)\s+(.+)$/;
const FAILED_TEST = /^\d+\)\s+(.+)$/;
const PENDING_TEST = /^-\s+(.+)$/;
/** `  3 passing (12ms)`, `  1 failing`, `  2 pending`: the end of a run's listing. */
const SUMMARY = /^\d+ (?:passing|failing|pending)\b/;

/**
 * Parses Mocha's `spec` reporter. Suites and tests are nested by indentation; a test is named by its full title,
 * the suite titles and its own joined by spaces (Mocha's `fullTitle()`). The failure details after the summary
 * repeat the titles and are not read; a line starting in the first column (a new command's output) ends them.
 */
export function parseMochaSpecLog(log: string): StatusMap {
  const map: StatusMap = new Map();
  const suites = new IndentPath();
  let inDetails = false;
  for (const line of logLines(log)) {
    const text = line.trim();
    if (!text) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      suites.clear();
      inDetails = false;
    }
    if (SUMMARY.test(text)) {
      inDetails = true;
      continue;
    }
    if (inDetails) continue;
    const enclosing = suites.at(indent);
    const test = testLine(text);
    if (test) recordWorstStatus(map, [...enclosing, test.title].join(" "), test.status);
    else if (indent > 0) suites.open(indent, text);
  }
  return map;
}

function testLine(text: string): { title: string; status: TestStatus } | undefined {
  const passed = PASSED_TEST.exec(text);
  if (passed) return { title: stripDuration(passed[1] as string), status: "PASSED" };
  const failed = FAILED_TEST.exec(text);
  if (failed) return { title: failed[1] as string, status: "FAILED" };
  const pending = PENDING_TEST.exec(text);
  if (pending) return { title: pending[1] as string, status: "SKIPPED" };
  return undefined;
}
