import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../common/errors.js";
import { git } from "./git.js";
import { findRunFolders, type RunFolder } from "./run-folders.js";

/**
 * The changes in a clone's working tree against `rev`, new untracked files included (ignored files are not), as a
 * unified diff: what a coding agent just did. Works on a temporary index, so the working tree, the real index and
 * every ref stay exactly as they were (git only adds the blobs it hashes to the object store).
 *
 * swe-review's own outputs in its run folders inside the tree (see `findRunFolders`) are not the agent's work: those
 * untracked files are left out, and `leftOut` names the folders (what was left out, what was kept) so the caller can
 * warn. Any other file in such a folder, and every tracked file, is included.
 */
export async function workingTreeDiff(
  repo: string,
  rev: string,
  /** How the revision was given, for the error message (a flag or a tool argument). */
  given = "--diff-from",
): Promise<{ diff: string; commit: string; leftOut: RunFolder[] }> {
  let commit: string;
  try {
    commit = (await git(["rev-parse", "--verify", `${rev}^{commit}`], { cwd: repo })).stdout.trim();
  } catch {
    throw new InputError("revision_missing", `${given} ${rev}: no such commit in ${repo}.`);
  }
  const top = (await git(["rev-parse", "--show-toplevel"], { cwd: repo })).stdout.trim();
  const untracked = (
    await git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", ":/"], { cwd: top })
  ).stdout
    .split("\0")
    .filter((path) => path !== "" && !path.endsWith("/"));
  const leftOut = await findRunFolders(top, untracked);
  const pathspecs = [
    ":/",
    ...leftOut.flatMap((folder) => folder.files.map((file) => `:(top,exclude,literal)${file}`)),
  ];
  const dir = mkdtempSync(join(tmpdir(), "swe-review-index-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  try {
    await git(["read-tree", commit], { cwd: top, env });
    await git(["add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul"], {
      cwd: top,
      env,
      input: pathspecs.map((pathspec) => `${pathspec}\0`).join(""),
    });
    const { stdout: diff } = await git(
      ["diff", "--cached", "--no-color", "--no-ext-diff", "--full-index", commit],
      { cwd: top, env },
    );
    return { diff, commit, leftOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
