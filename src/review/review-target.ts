import type { RunFolder } from "../workspace/run-folders.js";
import { workingTreeDiff } from "../workspace/working-tree-diff.js";
import { readPatchText } from "./patch-check.js";

/** What a review looks at: a patch and the commit it applies to. */
export interface ReviewTarget {
  patch: string;
  base: string;
  /** With a working tree: swe-review's run folders in it, whose untracked files the patch leaves out. */
  leftOut?: RunFolder[];
}

/**
 * The changes in a clone's working tree against `rev` (new files included, swe-review's run folders not; the tree,
 * index and refs are left alone) as the patch, at `base` when given, else at `rev`'s commit. `given` names where
 * `rev` came from in error messages (a flag or a tool argument).
 */
export async function workingTreeTarget(
  repo: string,
  rev: string,
  options: { base?: string; given: string },
): Promise<ReviewTarget> {
  const { diff, commit, leftOut } = await workingTreeDiff(repo, rev, options.given);
  return {
    patch: readPatchText(Buffer.from(diff), `from ${options.given} ${rev}`),
    base: options.base ?? commit,
    leftOut,
  };
}

/** What to tell the user about a run folder a working-tree review left out. */
export function leftOutWarning(folder: RunFolder): string {
  return `${folder.path} in the repository is a swe-review run folder (${folder.reason}): its ${folder.files.length} untracked file(s) are left out of the patch. Delete it or move it out of the repository (or git add it to have it reviewed).`;
}
