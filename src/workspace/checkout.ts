import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git.js";
import type { Mirror } from "./repo-cache.js";

/**
 * A working copy of `commit` in `dir`: a repository of its own whose object store borrows the mirror's objects
 * (git alternates), with HEAD detached at the commit and no other ref, remote or reflog. Later commits are not
 * reachable through any ref; the user's own clone and working tree are never touched.
 */
export async function createCheckout(mirror: Mirror, commit: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await git(["init", "--quiet", dir]);
  writeFileSync(join(dir, ".git", "objects", "info", "alternates"), `${mirror.objectsDir}\n`);
  // Identity for commits made inside the sandbox; no reflog, so nothing records where HEAD has been.
  const config = [
    ["user.name", "swe-review"],
    ["user.email", "swe-review@localhost"],
    ["core.logAllRefUpdates", "false"],
    ["gc.auto", "0"],
    ["advice.detachedHead", "false"],
  ];
  for (const [key, value] of config) await git(["config", key as string, value as string], { cwd: dir });
  await git(["checkout", "--quiet", "--detach", commit], { cwd: dir });
  // `git init` may create a branch ref file only on first commit; make sure no branch points anywhere.
  await git(["for-each-ref", "--format=%(refname)"], { cwd: dir }).then(async ({ stdout }) => {
    for (const ref of stdout.split("\n").filter(Boolean)) await git(["update-ref", "-d", ref], { cwd: dir });
  });
}
