import type { RunFolder } from "../workspace/run-folders.js";
import { workingTreeDiff } from "../workspace/working-tree-diff.js";
import { readPatchText } from "./patch-check.js";

/** What a review looks at: a patch and the commit it applies to. */
export interface ReviewTarget {
  patch: string;
  base: string;
  /** With a working tree: swe-review's run folders in it, whose untracked outputs the patch leaves out. */
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

/**
 * What to tell the user about a run folder a working-tree review found: how many of its untracked files were left out
 * (swe-review's outputs) and, when some were not (swe-review does not write them there), how many were kept and
 * which.
 */
export function leftOutWarning(folder: RunFolder): string {
  const leftOut = `${folder.files.length} untracked file(s) at paths swe-review writes there are left out of the patch`;
  const kept =
    folder.kept.length === 0
      ? ""
      : `; ${folder.kept.length} other untracked file(s) in it are kept in the patch, as swe-review does not write them (${named(folder.kept)})`;
  return `${folder.path} in the repository is a swe-review run folder (${folder.reason}): ${leftOut}${kept}. Delete it or move it out of the repository (or git add it to have it reviewed).`;
}

const NAMED_FILES = 5;

function named(files: readonly string[]): string {
  const shown = files.slice(0, NAMED_FILES).join(", ");
  return files.length > NAMED_FILES ? `${shown} and ${files.length - NAMED_FILES} more` : shown;
}
