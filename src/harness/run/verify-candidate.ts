import { posix } from "node:path";
import { performance } from "node:perf_hooks";
import { errorMessage, SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import { shellQuote } from "../../common/shell-quote.js";
import type { Candidate } from "../../data/candidate.js";
import type { Instance } from "../../data/instance.js";
import { SetupError } from "../../workspace/setup/setup-error.js";
import { type GradedTests, gradeTestRun } from "../grading/grade.js";
import { integrityReason } from "../grading/integrity.js";
import type { TestStatus } from "../parsers/status.js";
import { testInfrastructure } from "../specs/infrastructure.js";
import { planTestRun } from "../specs/plan.js";
import type { TestSpec } from "../specs/test-spec.js";
import type { Environment, PreparedEnvironment } from "./environment.js";
import { interpreterMounts } from "./interpreter.js";
import { patchAndTest } from "./patched-run.js";
import { unjudged, type VerifyResult } from "./verify-result.js";

/** One candidate to verify, with the test spec and environment to do it in (the caller owns the environment). */
export interface VerifyCandidateOptions {
  instance: Instance;
  candidate: Candidate;
  /** How to run the repository's tests. */
  spec: TestSpec;
  /** Where the checkout is made and the tests run. */
  environment: Environment;
  /** Time limit of the test command, in milliseconds. */
  timeoutMs: number;
  /** Time limit of each setup command, in milliseconds. */
  setupTimeoutMs: number;
  logger?: Logger;
  /** Stops the run: the checkout is disposed of (its processes end) and the result is an `aborted` error. */
  signal?: AbortSignal;
}

/**
 * A verdict with what backs it: the whole harness log (markers included, for humans and `swe-review grade`; the
 * verdict itself was graded from the test command's own output) and every test status it names.
 */
export interface VerifiedCandidate {
  result: VerifyResult;
  log: string;
  tests: Record<string, TestStatus>;
}

/**
 * Verifies one candidate the way SWE-bench does: a checkout of the base commit with the spec's setup done; the
 * candidate applied (`git apply`, else `patch --fuzz=5`); the test infrastructure it touched put back as at the
 * base; the files the test patch touches reset to the base; the test patch applied; the test command run without
 * network and within its time limit; what it printed graded, with its exit code. The checkout is disposed of
 * afterwards. A failure of the run itself (setup, sandbox, a test patch that does not apply) is returned as
 * `error`, never as an unresolved verdict.
 */
export async function verifyCandidate(options: VerifyCandidateOptions): Promise<VerifiedCandidate> {
  const { instance, candidate, spec } = options;
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  let log = "";
  let prepared: PreparedEnvironment | undefined;
  const onAbort = () => {
    void prepared?.dispose().catch(() => {});
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const tests = testLists(instance);
    throwIfAborted(options.signal);
    const image = options.environment.imageFor?.(instance);
    prepared = await options.environment.prepare({
      repo: instance.repo,
      baseCommit: instance.base_commit,
      setup: spec.setup,
      env: spec.env,
      setupTimeoutMs: options.setupTimeoutMs,
      readOnly: interpreterMounts(spec.python),
      ...(image ? { image } : {}),
    });
    throwIfAborted(options.signal);
    if (prepared.setupLog)
      log += prepared.setupLog.endsWith("\n") ? prepared.setupLog : `${prepared.setupLog}\n`;
    // Asked whenever the command runs Python: a missing interpreter is the machine's fault, not the candidate's.
    const version = spec.command.includes("{python}")
      ? await pythonVersion(prepared, spec.python)
      : undefined;
    const plan = planTestRun(spec, instance, {
      supportDir: posix.join(prepared.paths.tmp, ".swe-review-support"),
      ...(version ? { pythonVersion: version } : {}),
    });
    for (const file of plan.files) await prepared.writeFile(file.path, file.content);

    const run = await patchAndTest(prepared, instance, candidate.model_patch, plan, {
      timeoutMs: options.timeoutMs,
      infrastructure: testInfrastructure(spec),
      write: (text) => {
        log += text;
      },
    });
    throwIfAborted(options.signal);
    const grade = gradeTestRun(tests, spec, run);
    for (const flag of grade.integrity) {
      if (!run.integrity.includes(flag))
        log += `[swe-review] integrity: ${flag}: ${integrityReason(flag, run.exitCode)}; not resolved\n`;
    }
    return {
      result: {
        candidate_id: candidate.candidate_id,
        instance_id: instance.instance_id,
        applied: grade.applied,
        resolved: grade.resolved,
        resolution: grade.resolution,
        f2p: grade.f2p,
        p2p: grade.p2p,
        seconds: elapsed(started),
        outcome: grade.outcome,
        test_exit_code: run.exitCode,
        integrity: grade.integrity,
        restored_test_infrastructure: run.restored,
      },
      log,
      tests: grade.tests,
    };
  } catch (error) {
    if (error instanceof SetupError) log += error.log;
    const code = error instanceof SweReviewError ? error.code : "internal_error";
    logger.warn(
      { candidate: candidate.candidate_id, code, error: errorMessage(error) },
      "verification failed",
    );
    log += `\n[swe-review] ${code}: ${errorMessage(error)}\n`;
    return {
      result: unjudged(
        { candidate_id: candidate.candidate_id, instance_id: instance.instance_id },
        { code, message: errorMessage(error) },
        elapsed(started),
      ),
      log,
      tests: {},
    };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await prepared?.dispose().catch((error: unknown) => {
      logger.warn({ error: errorMessage(error) }, "disposing of the checkout failed");
    });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SweReviewError("aborted", "verification was stopped before it finished");
}

function testLists(instance: Instance): GradedTests {
  if (!instance.FAIL_TO_PASS || !instance.PASS_TO_PASS) {
    throw new SweReviewError(
      "instance_without_tests",
      `${instance.instance_id} has no FAIL_TO_PASS/PASS_TO_PASS lists, so there is nothing to grade; use a ` +
        "dataset file that has them (SWE-bench, Multi-SWE-bench).",
    );
  }
  return {
    instance_id: instance.instance_id,
    FAIL_TO_PASS: instance.FAIL_TO_PASS,
    PASS_TO_PASS: instance.PASS_TO_PASS,
  };
}

/** The interpreter's `major.minor`, asked inside the environment (it decides which shims apply). */
async function pythonVersion(env: PreparedEnvironment, python: string): Promise<string> {
  const command = `${shellQuote(python)} -c 'import sys; print("%d.%d" % sys.version_info[:2])'`;
  const result = await env.exec(command, { timeoutMs: 60_000 });
  const version = /^(\d+\.\d+)\s*$/m.exec(result.output)?.[1];
  if (result.exitCode !== 0 || !version) {
    throw new SweReviewError(
      "interpreter_unavailable",
      `The test spec's interpreter ${python} does not run in the sandbox (${result.output.trim() || `exit ${result.exitCode}`}). ` +
        "Install it (Debian: apt-get install python3) or set test.python; `swe-review doctor --dataset` checks this.",
    );
  }
  return version;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) / 10) / 100;
}
