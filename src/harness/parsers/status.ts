import { z } from "zod";

/**
 * What a log says about one test. The names follow SWE-bench's `TestStatus`, plus `XPASS` (a test marked as
 * expected to fail that passed), which SWE-bench leaves out of its status maps and so never counts as a pass.
 */
export const TEST_STATUSES = ["PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS"] as const;
export const TestStatusSchema = z.enum(TEST_STATUSES);
/** What a log says about one test; see `TEST_STATUSES` (`XPASS` never counts as a pass). */
export type TestStatus = z.infer<typeof TestStatusSchema>;

/** Test name → status, in the order the log first mentions each test. */
export type StatusMap = Map<string, TestStatus>;

/**
 * SWE-bench's rule when a log reports the same test more than once (two files with a test of the same name, a
 * summary line after a progress line): the last report stands, as in its official log parsers, which write each
 * status into a dict. The Python parsers (pytest, Django, sympy) follow it.
 */
export function recordStatus(map: StatusMap, name: string, status: TestStatus): void {
  map.set(name, status);
}

const SEVERITY: Record<TestStatus, number> = {
  PASSED: 0,
  XFAIL: 1,
  SKIPPED: 2,
  XPASS: 3,
  FAILED: 4,
  ERROR: 5,
};

/**
 * The JavaScript parsers' rule (Multi-SWE-bench runs, which SWE-bench's Python parsers do not cover): the worst
 * report stands, so a suite run under several time zones (dayjs) fails if any run of it fails.
 */
export function recordWorstStatus(map: StatusMap, name: string, status: TestStatus): void {
  const previous = map.get(name);
  if (previous === undefined || SEVERITY[status] > SEVERITY[previous]) map.set(name, status);
}

/** A test that counts as passing for FAIL_TO_PASS and PASS_TO_PASS (SWE-bench: PASSED or XFAIL). */
export function isPassing(status: TestStatus | undefined): boolean {
  return status === "PASSED" || status === "XFAIL";
}
