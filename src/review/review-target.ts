import { workingTreeDiff } from "../workspace/working-tree-diff.js";
import { readPatchText } from "./patch-check.js";

/** What a review looks at: a patch and the commit it applies to. */
export interface ReviewTarget {
  patch: string;
  base: string;
}

/**
 * The changes in a clone's working tree against `rev` (new files included; the tree, index and refs are left
 * alone) as the patch, at `base` when given, else at `rev`'s commit. `given` names where `rev` came from in error
 * messages (a flag or a tool argument).
 */
export async function workingTreeTarget(
  repo: string,
  rev: string,
  options: { base?: string; given: string },
): Promise<ReviewTarget> {
  const { diff, commit } = await workingTreeDiff(repo, rev, options.given);
  return {
    patch: readPatchText(Buffer.from(diff), `from ${options.given} ${rev}`),
    base: options.base ?? commit,
  };
}
