import { logParser, type ParserName } from "../parsers/registry.js";
import { isPassing, type StatusMap, type TestStatus } from "../parsers/status.js";
import type { GradeResult, Resolution, TestListOutcome } from "./grade-result.js";
import { type LogOutcome, readHarnessLog } from "./harness-log.js";
import { exitCodeContradicts, type IntegrityFlag } from "./integrity.js";

/** The part of an instance grading reads. */
export interface GradedTests {
  instance_id: string;
  FAIL_TO_PASS: readonly string[];
  PASS_TO_PASS: readonly string[];
}

/**
 * Grades a harness log from disk (`swe-review grade`, official SWE-bench logs) against an instance's FAIL_TO_PASS
 * and PASS_TO_PASS lists with the parser its test spec names: the test output is found between the log's markers,
 * as SWE-bench's grader finds it.
 */
export function gradeLog(instance: GradedTests, spec: { parser: ParserName }, log: string): GradeResult {
  const parse = logParser(spec.parser);
  const harness = readHarnessLog(log);
  if (harness.outcome !== "ok") return notRun(instance, harness.outcome, harness.applied);
  let statuses = parse(harness.testOutput);
  // Some runners' output lands outside the markers (stdout and stderr interleave): read the whole log then.
  if (statuses.size === 0 && harness.testOutput !== log) statuses = parse(log);
  return graded(instance, statuses);
}

/** A test run the harness made itself: how it went, and what the test command printed, captured apart. */
export interface TestRun {
  outcome: LogOutcome;
  applied: boolean;
  /** Exactly what the test command printed; nothing the harness wrote. */
  output: string;
  /** The test command's exit code; null when it was killed or did not run. */
  exitCode: number | null;
  /** Flags the run itself raised before any test ran (`git_metadata_modified`). */
  integrity: readonly IntegrityFlag[];
}

/**
 * Grades a run the harness made (`verify`): the test command's own output, never a log that could be split at a
 * marker the tests printed. Resolved only when the lists pass and nothing contradicts the log: a failing exit
 * code beside a log in which no test failed is flagged `exit_code_mismatch`.
 */
export function gradeTestRun(
  instance: GradedTests,
  spec: { parser: ParserName },
  run: TestRun,
): GradeResult & { integrity: IntegrityFlag[] } {
  const integrity = [...run.integrity];
  if (run.outcome !== "ok") return { ...notRun(instance, run.outcome, run.applied), integrity };
  const statuses = logParser(spec.parser)(run.output);
  if (integrity.length === 0 && exitCodeContradicts(statuses, run.exitCode))
    integrity.push("exit_code_mismatch");
  const result = graded(instance, statuses);
  return integrity.length === 0
    ? { ...result, integrity }
    : { ...result, resolved: false, resolution: "NO", integrity };
}

function notRun(instance: GradedTests, outcome: LogOutcome, applied: boolean): GradeResult {
  return {
    instance_id: instance.instance_id,
    applied,
    resolved: false,
    resolution: "NO",
    f2p: { passed: [], failed: [...instance.FAIL_TO_PASS] },
    p2p: { passed: [], failed: [...instance.PASS_TO_PASS] },
    outcome,
    tests: {},
  };
}

function graded(instance: GradedTests, statuses: StatusMap): GradeResult {
  return {
    instance_id: instance.instance_id,
    applied: true,
    ...gradeStatuses(instance, statuses),
    outcome: "ok",
    tests: Object.fromEntries(statuses),
  };
}

/**
 * SWE-bench's grading of a status map. A FAIL_TO_PASS test succeeds when it passed (or failed as expected); a
 * PASS_TO_PASS test also when it was skipped. A test the log does not name failed. A list with no tests has a
 * success rate of 1. FULL: both rates 1; PARTIAL: some but not all FAIL_TO_PASS tests and every PASS_TO_PASS
 * test; NO otherwise.
 */
export function gradeStatuses(
  instance: GradedTests,
  statuses: StatusMap,
): { resolved: boolean; resolution: Resolution; f2p: TestListOutcome; p2p: TestListOutcome } {
  const f2p = split(instance.FAIL_TO_PASS, (name) => isPassing(lookup(name, statuses)));
  const p2p = split(instance.PASS_TO_PASS, (name) => {
    const status = lookup(name, statuses);
    return isPassing(status) || status === "SKIPPED";
  });
  const resolution = resolutionOf(rate(f2p), rate(p2p));
  return { resolved: resolution === "FULL", resolution, f2p, p2p };
}

export function resolutionOf(f2pRate: number, p2pRate: number): Resolution {
  if (f2pRate === 1 && p2pRate === 1) return "FULL";
  if (f2pRate > 0 && f2pRate < 1 && p2pRate === 1) return "PARTIAL";
  return "NO";
}

function rate(outcome: TestListOutcome): number {
  const total = outcome.passed.length + outcome.failed.length;
  return total === 0 ? 1 : outcome.passed.length / total;
}

function split(names: readonly string[], passes: (name: string) => boolean): TestListOutcome {
  const outcome: TestListOutcome = { passed: [], failed: [] };
  for (const name of names) (passes(name) ? outcome.passed : outcome.failed).push(name);
  return outcome;
}

/**
 * The status of `name` in the log. Some dataset names were cut at the first space inside a parameter
 * (`test_x[log(photon`; SWE-bench Verified has hundreds): such a name, with more `[` than `]`, matches the tests it
 * is a prefix of, when they agree on passing or not.
 */
function lookup(name: string, statuses: StatusMap): TestStatus | undefined {
  const exact = statuses.get(name);
  if (exact !== undefined || !isTruncatedId(name)) return exact;
  const matches = [...statuses].filter(([test]) => test.startsWith(name)).map(([, status]) => status);
  if (matches.length === 0) return undefined;
  const passing = new Set(matches.map(isPassing));
  return passing.size === 1 ? matches[0] : undefined;
}

function isTruncatedId(name: string): boolean {
  return name.split("[").length > name.split("]").length;
}
