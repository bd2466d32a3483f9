import { SweReviewError } from "../common/errors.js";
import { gitOverCheckout } from "../workspace/isolated-git.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import type { Workspace } from "../workspace/workspace.js";

/** `--from-previous`: the previous candidate applied where the reviser starts. */
const PREVIOUS_FILE = "/tmp/.swe-review-previous.patch";

/**
 * Applies the previous candidate to the host checkout the reviser starts from, before its sandbox starts. Not git
 * in the checkout: its `.git` is as the workspace's setup left it (a filter there would run here).
 */
export async function applyPreviousOnHost(workspace: Workspace, patch: string): Promise<void> {
  await gitOverCheckout(workspace, ["apply", "--whitespace=nowarn", "-"], patch);
}

/** Applies the previous candidate in a container's checkout, as the agent's user (before the agent runs). */
export async function applyPreviousInSandbox(sandbox: OpenSandbox, patch: string): Promise<void> {
  await sandbox.files.write(PREVIOUS_FILE, patch);
  const applied = await sandbox.files.run(["git", "apply", "--whitespace=nowarn", PREVIOUS_FILE], {
    cwd: sandbox.paths.testbed,
  });
  await sandbox.files.run(["rm", "-f", PREVIOUS_FILE]);
  if (applied.exitCode !== 0) throw new SweReviewError("patch_not_applied", applied.stderr.trim());
}
