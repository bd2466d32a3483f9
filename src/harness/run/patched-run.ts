import { posix } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { shellQuote } from "../../common/shell-quote.js";
import type { Instance } from "../../data/instance.js";
import type { TestRun } from "../grading/grade.js";
import { defuseMarkers, LOG_MARKERS, readHarnessLog } from "../grading/harness-log.js";
import { integrityReason } from "../grading/integrity.js";
import { patchedFiles } from "../patch-files.js";
import type { Infrastructure } from "../specs/infrastructure.js";
import type { TestRunPlan } from "../specs/plan.js";
import { changedBetween, gitMetadataFingerprint, workingTreeChanges } from "./checkout-changes.js";
import type { PreparedEnvironment } from "./environment.js";
import { type CheckoutPath, checkoutPath } from "./git-paths.js";
import { applyCandidate, applyTestPatch, commandLog, resetTestFiles } from "./patch-order.js";
import { restoreInfrastructure } from "./restore-infrastructure.js";

/** A test run on a patched checkout, with the test infrastructure that was put back first. */
export interface PatchedRun extends TestRun {
  restored: string[];
}

export interface PatchAndTestOptions {
  /** The test command's time limit. */
  timeoutMs: number;
  infrastructure: Infrastructure;
  /** Receives the log as each step is known. */
  write: (text: string) => void;
}

/**
 * SWE-bench's order on a prepared checkout, with the test infrastructure guarded: the candidate; the
 * infrastructure it touched put back as at the base; the test patch's files reset to the base; the test patch;
 * the test command between the start and end markers, its output captured apart from everything else and its
 * exit code recorded. Throws when the run itself fails (a restore, reset or test patch that does not apply, a
 * test command that cannot start).
 */
export async function patchAndTest(
  prepared: PreparedEnvironment,
  instance: Instance,
  patch: string,
  plan: TestRunPlan,
  options: PatchAndTestOptions,
): Promise<PatchedRun> {
  const { write } = options;
  const hasPatch = patch.trim() !== "";
  const before = hasPatch ? await checkoutState(prepared) : undefined;
  const apply = await applyCandidate(prepared, patch);
  write(apply.log);
  if (!apply.ok) return notRun("patch_apply_failed", false);

  let restored: string[] = [];
  if (before) {
    if ((await gitMetadataFingerprint(prepared)) !== before.git) {
      write(`[swe-review] integrity: git_metadata_modified: ${integrityReason("git_metadata_modified")}\n`);
      return { ...notRun("ok", true), integrity: ["git_metadata_modified"] };
    }
    const after = await workingTreeChanges(prepared, prepared.commit);
    const restore = await restoreInfrastructure(
      prepared,
      touchedPaths(patch, changedBetween(before.tree, after)),
      options.infrastructure,
      prepared.commit,
    );
    write(restore.log);
    if (!restore.ok) {
      throw new SweReviewError(
        "infrastructure_restore_failed",
        "Putting the test infrastructure the candidate touched back as at the base failed (see the log).",
      );
    }
    restored = restore.restored;
  }

  if (plan.beforeTests?.length) await runBeforeTests(prepared, plan, options);
  if (plan.evalScript) return { ...(await runEvalScript(prepared, plan.evalScript, options)), restored };

  const reset = await resetTestFiles(prepared, instance.test_patch, prepared.commit);
  write(reset.log);
  if (!reset.ok)
    throw new SweReviewError("reset_failed", "Resetting the test patch's files to the base failed.");
  const testPatch = await applyTestPatch(prepared, instance.test_patch);
  write(testPatch.log);
  if (!testPatch.ok) {
    throw new SweReviewError(
      "test_patch_failed",
      `The test_patch of ${instance.instance_id} does not apply to ${instance.base_commit} after the reset; ` +
        "check the instance's test_patch and base_commit.",
    );
  }

  const envText = Object.entries(plan.env).map(([name, value]) => `${name}=${shellQuote(value)} `);
  write(`+ ${envText.join("")}${plan.command}\n${LOG_MARKERS.startTestOutput}\n`);
  const run = await prepared.exec(plan.command, { timeoutMs: options.timeoutMs, env: plan.env });
  const newline = run.output.endsWith("\n") || run.output === "" ? "" : "\n";
  write(`${defuseMarkers(run.output)}${newline}${LOG_MARKERS.endTestOutput}\n`);
  if (run.timedOut) write(`${LOG_MARKERS.testsTimedOut} (after ${options.timeoutMs / 1000} s)\n`);
  else write(`[swe-review] test command exit code: ${run.exitCode ?? "none (killed)"}\n`);
  if (run.exitCode === 126 || run.exitCode === 127) {
    throw new SweReviewError(
      "test_command_unavailable",
      `The test command \`${plan.command}\` could not run (exit ${run.exitCode}: a program is missing or not ` +
        "executable in the sandbox); `swe-review doctor --dataset` says what to install.",
    );
  }
  return {
    outcome: run.timedOut ? "tests_timed_out" : "ok",
    applied: true,
    output: run.output,
    exitCode: run.exitCode,
    integrity: [],
    restored,
  };
}

/**
 * The plan's `beforeTests`, each in its own shell with the plan's environment: logged, never graded, a failure
 * noted and passed over (SWE-bench's evaluation script runs them without `set -e`).
 */
async function runBeforeTests(
  prepared: PreparedEnvironment,
  plan: TestRunPlan,
  options: PatchAndTestOptions,
): Promise<void> {
  for (const command of plan.beforeTests ?? []) {
    const result = await prepared.exec(command, { timeoutMs: options.timeoutMs, env: plan.env });
    const newline = result.output.endsWith("\n") || result.output === "" ? "" : "\n";
    options.write(`${commandLog(command, result.output)}${newline}`);
    const status = result.timedOut
      ? `timed out after ${options.timeoutMs / 1000} s`
      : `exit code ${result.exitCode ?? "none (killed)"}`;
    options.write(`[swe-review] before-tests step ${status}${result.exitCode === 0 ? "" : "; going on"}\n`);
  }
}

/** How SWE-bench 5's evaluation scripts report the test command's exit code. */
const TEST_EXIT_CODE = />>>>> Test Exit Code:\s*(-?\d+)/;

/**
 * A dataset's own evaluation script, run with bash: it resets the test files, applies the test patch and runs the
 * tests itself. What it prints between the start and end markers is the test output; without a start marker, all
 * of it; a start marker without its end means the run was cut short. The test exit code is the one the script
 * reports (`>>>>> Test Exit Code: N`), else the script's own (its last command's).
 */
async function runEvalScript(
  prepared: PreparedEnvironment,
  script: string,
  options: PatchAndTestOptions,
): Promise<Omit<PatchedRun, "restored">> {
  const file = posix.join(prepared.paths.tmp, ".swe-review-harness", "eval.sh");
  await prepared.writeFile(file, script);
  const command = `bash ${shellQuote(file)}`;
  const run = await prepared.exec(command, { timeoutMs: options.timeoutMs });
  const harness = readHarnessLog(run.output);
  options.write(`${commandLog(command, run.output)}${run.output.endsWith("\n") ? "" : "\n"}`);
  options.write(
    `${LOG_MARKERS.startTestOutput}\n${defuseMarkers(harness.testOutput)}\n${LOG_MARKERS.endTestOutput}\n`,
  );
  if (run.timedOut) options.write(`${LOG_MARKERS.testsTimedOut} (after ${options.timeoutMs / 1000} s)\n`);
  else options.write(`[swe-review] evaluation script exit code: ${run.exitCode ?? "none (killed)"}\n`);
  const outcome = run.timedOut ? "tests_timed_out" : harness.outcome;
  const reported = TEST_EXIT_CODE.exec(run.output)?.[1];
  const exitCode = reported === undefined || run.timedOut ? run.exitCode : Number(reported);
  return { outcome, applied: true, output: harness.testOutput, exitCode, integrity: [] };
}

function notRun(outcome: PatchedRun["outcome"], applied: boolean): PatchedRun {
  return { outcome, applied, output: "", exitCode: null, integrity: [], restored: [] };
}

/** The working tree's changes and the `.git` fingerprint before the candidate's patch. */
async function checkoutState(prepared: PreparedEnvironment) {
  const tree = await workingTreeChanges(prepared, prepared.commit);
  // Taken after the listing: git may refresh its index while it lists.
  const git = await gitMetadataFingerprint(prepared);
  return { tree, git };
}

/**
 * Every path the candidate's patch touched: what git sees changed across it (whatever format the patch was in:
 * `patch` also applies context diffs, which no unified-diff parser reads), and the files the patch names.
 */
function touchedPaths(patch: string, changed: CheckoutPath[]): CheckoutPath[] {
  let named: string[] = [];
  try {
    named = patchedFiles(patch, "the candidate patch").flatMap((file) => [file.path, file.oldPath]);
  } catch {
    // not a unified diff: git's view of the working tree is complete without it
  }
  const byKey = new Map<string, CheckoutPath>();
  for (const path of [...changed, ...named.map(checkoutPath)]) byKey.set(path.bytes.toString("hex"), path);
  return [...byKey.values()];
}
