import { SweReviewError } from "../../common/errors.js";
import { shellQuote } from "../../common/shell-quote.js";
import type { PreparedEnvironment } from "./environment.js";
import { type CheckoutPath, parseGitPaths } from "./git-paths.js";

/** Time limit of one look at the checkout. */
const STEP_TIMEOUT_MS = 120_000;

/**
 * git run by the harness in a checkout a candidate has changed: no fsmonitor or hook the repository's config might
 * name runs, and paths are printed quoted (one per line, whatever bytes they hold).
 */
const GIT = "git -c core.fsmonitor=false -c core.hooksPath=/dev/null -c core.quotePath=true";

/** What differs from the base commit in the working tree: every untracked file (ignored ones too) and every tracked file changed or deleted. */
export interface WorkingTreeChanges {
  untracked: CheckoutPath[];
  changed: CheckoutPath[];
}

export async function workingTreeChanges(
  env: PreparedEnvironment,
  commit: string,
): Promise<WorkingTreeChanges> {
  const untracked = await gitOutput(env, `${GIT} ls-files --others`);
  const changed = await gitOutput(env, `${GIT} diff --name-only --no-renames ${shellQuote(commit)}`);
  return { untracked: parseGitPaths(untracked), changed: parseGitPaths(changed) };
}

/** The paths that differ in `after` and not in `before`: what happened in between (the candidate's patch). */
export function changedBetween(before: WorkingTreeChanges, after: WorkingTreeChanges): CheckoutPath[] {
  const key = (path: CheckoutPath) => path.bytes.toString("hex");
  const known = new Set([...before.untracked, ...before.changed].map(key));
  const found = new Map<string, CheckoutPath>();
  for (const path of [...after.untracked, ...after.changed]) {
    if (!known.has(key(path))) found.set(key(path), path);
  }
  return [...found.values()];
}

/**
 * Type, size and change time of everything in the checkout's `.git`, read without running git. `git apply` never
 * writes there, but `patch` (the fallback) writes wherever the patch says: a hook, a config that names an
 * fsmonitor or a filter, a planted object. A fingerprint that changed across the candidate's patch means git can
 * no longer be trusted in this checkout.
 */
export async function gitMetadataFingerprint(env: PreparedEnvironment): Promise<string> {
  const result = await env.exec("find .git -printf '%y %s %C@ %P\\0' | LC_ALL=C sort -z", {
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new SweReviewError(
      "checkout_inspect_failed",
      `Listing the checkout's .git failed: ${result.output}`,
    );
  }
  return result.output;
}

/** What a git command printed on stdout (its warnings are not paths). */
async function gitOutput(env: PreparedEnvironment, command: string): Promise<string> {
  const result = await env.exec(`${command} 2>/dev/null`, { timeoutMs: STEP_TIMEOUT_MS });
  if (result.exitCode !== 0) {
    throw new SweReviewError(
      "checkout_inspect_failed",
      `\`${command}\` failed in the checkout (exit ${result.exitCode}).`,
    );
  }
  return result.output;
}
