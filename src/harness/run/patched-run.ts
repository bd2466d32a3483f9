import { SweReviewError } from "../../common/errors.js";
import { shellQuote } from "../../common/shell-quote.js";
import type { Instance } from "../../data/instance.js";
import type { TestRun } from "../grading/grade.js";
import { defuseMarkers, LOG_MARKERS } from "../grading/harness-log.js";
import { integrityReason } from "../grading/integrity.js";
import { patchedFiles } from "../patch-files.js";
import type { Infrastructure } from "../specs/infrastructure.js";
import type { TestRunPlan } from "../specs/plan.js";
import { changedBetween, gitMetadataFingerprint, workingTreeChanges } from "./checkout-changes.js";
import type { PreparedEnvironment } from "./environment.js";
import { type CheckoutPath, checkoutPath } from "./git-paths.js";
import { applyCandidate, applyTestPatch, resetTestFiles } from "./patch-order.js";
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
