import { posix } from "node:path";
import { shellQuote } from "../../common/shell-quote.js";
import { defuseMarkers, LOG_MARKERS } from "../grading/harness-log.js";
import { patchedFiles } from "../patch-files.js";
import type { PreparedEnvironment } from "./environment.js";

/** How SWE-bench applies a candidate, in order: the first that succeeds wins. */
export const APPLY_METHODS = ["git apply --verbose", "patch --batch --fuzz=5 -p1 -i"] as const;

/** Time limit of one git or patch command. */
const STEP_TIMEOUT_MS = 120_000;

export interface StepResult {
  ok: boolean;
  /** The commands and what they printed, with the harness markers, for the log. */
  log: string;
}

/**
 * Applies the candidate: `git apply`, else `patch --fuzz=5 -p1`. The apply-failed marker is written only when
 * every method failed (SWE-bench's grader counts any such marker as a failed apply). No patch at all (the `empty`
 * candidate) applies trivially.
 */
export async function applyCandidate(env: PreparedEnvironment, patch: string): Promise<StepResult> {
  if (patch.trim() === "") {
    return { ok: true, log: "(empty candidate: no patch to apply)\n" };
  }
  const file = posix.join(env.paths.tmp, ".swe-review-harness", "candidate.diff");
  await env.writeFile(file, withFinalNewline(patch));
  let log = "";
  for (const method of APPLY_METHODS) {
    const command = `${method} ${shellQuote(file)}`;
    const result = await env.exec(command, { timeoutMs: STEP_TIMEOUT_MS });
    log += commandLog(command, result.output);
    // `git apply` changes nothing when it fails, so `patch` starts from the same tree.
    if (result.exitCode === 0) return { ok: true, log: `${log}${LOG_MARKERS.applied} (pred)\n` };
  }
  return { ok: false, log: `${log}${LOG_MARKERS.applyFailed} (pred)\n` };
}

/**
 * Puts every file the test patch touches back as it is at `commit`: files that exist there are checked out from
 * it; files the test patch creates (or renames to) are removed. A candidate that edited the tests so loses those
 * edits, as in SWE-bench, and the test patch then applies to the files it was written against.
 */
export async function resetTestFiles(
  env: PreparedEnvironment,
  testPatch: string,
  commit: string,
): Promise<StepResult> {
  const files = patchedFiles(testPatch, "the test patch");
  const existing = files.filter((file) => !file.created).map((file) => file.oldPath);
  const added = files.filter((file) => file.created || file.path !== file.oldPath).map((file) => file.path);
  const commands = [
    ...(existing.length > 0
      ? [`git checkout ${shellQuote(commit)} -- ${existing.map(shellQuote).join(" ")}`]
      : []),
    ...(added.length > 0 ? [`rm -rf -- ${added.map(shellQuote).join(" ")}`] : []),
  ];
  let log = "";
  for (const command of commands) {
    const result = await env.exec(command, { timeoutMs: STEP_TIMEOUT_MS });
    log += commandLog(command, result.output);
    if (result.exitCode !== 0) return { ok: false, log: `${log}${LOG_MARKERS.resetFailed}\n` };
  }
  return { ok: true, log };
}

/** Applies the test patch with `git apply` (it was made against the base, so it must apply cleanly). */
export async function applyTestPatch(env: PreparedEnvironment, testPatch: string): Promise<StepResult> {
  const file = posix.join(env.paths.tmp, ".swe-review-harness", "test.diff");
  await env.writeFile(file, withFinalNewline(testPatch));
  const command = `git apply --verbose ${shellQuote(file)}`;
  const result = await env.exec(command, { timeoutMs: STEP_TIMEOUT_MS });
  const log = commandLog(command, result.output);
  return result.exitCode === 0
    ? { ok: true, log: `${log}${LOG_MARKERS.applied} (test)\n` }
    : { ok: false, log };
}

/**
 * A command and what it printed, for the log. Both may carry text the candidate chose (its file names, its
 * program's output), so nothing in them may read as a marker.
 */
export function commandLog(command: string, output: string): string {
  return defuseMarkers(`+ ${command}\n${output}`);
}

function withFinalNewline(patch: string): string {
  return patch.endsWith("\n") ? patch : `${patch}\n`;
}
