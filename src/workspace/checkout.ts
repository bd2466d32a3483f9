import { join } from "node:path";
import { GIT_INIT_CONFIG, git, writeGitDir } from "./git.js";

/** What `git init` would write, minus hooks and samples, plus our settings: one file write instead of six spawns. */
const CONFIG = `${GIT_INIT_CONFIG}[advice]
\tdetachedHead = false
[user]
\tname = swe-review
\temail = swe-review@localhost
`;

/**
 * A working copy of `commit` in `dir`: a repository of its own that borrows the objects of `objectsDir` (git
 * alternates; for workspaces, the base's history, which holds nothing later than the commit), with HEAD detached at
 * the commit and no other ref, remote or reflog. The user's own clone and working tree are never touched.
 */
export async function createCheckout(objectsDir: string, commit: string, dir: string): Promise<void> {
  const gitDir = join(dir, ".git");
  writeGitDir(gitDir, { head: commit, objectsDir, config: CONFIG });
  // Fills the index and the working tree in one pass (as `git worktree add` does).
  await git(["read-tree", "--reset", "-u", commit], { cwd: dir });
}
