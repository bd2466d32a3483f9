import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The /testbed repository of a fixture instance image, prepared on the host before it is copied in: a clone of a
 * repository checked out (detached) at the instance's base commit, as in SWE-bench's images. With `laterRefs`, the
 * history after the base stays reachable in every way git keeps history, which is what future-leak scrubbing must
 * find and remove (see `LATER_REFS`).
 */

/** The refs (and reflogs) a `laterRefs` testbed keeps the later history in. */
export const LATER_REFS = {
  branch: "refs/heads/future",
  tag: "refs/tags/v-future",
  remoteTracking: "refs/remotes/upstream/main",
  stash: "refs/stash",
  notes: "refs/notes/commits",
  /** A branch moved back to the base: only its reflog remembers the later commit (so does HEAD's). */
  rewoundBranch: "refs/heads/rewound",
} as const;

const IDENTITY = {
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.com",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.com",
};

/**
 * Clones `repoDir` into `dest` and checks out `baseCommit` detached. The later history is `repoDir`'s HEAD, which
 * must descend from `baseCommit` when `laterRefs`. Without `laterRefs`, every ref, reflog and unreachable object
 * is removed, leaving the base's history only.
 */
export function prepareTestbed(repoDir: string, dest: string, baseCommit: string, laterRefs: boolean): void {
  const env = { PATH: process.env.PATH ?? "", HOME: dest, GIT_CONFIG_NOSYSTEM: "1", ...IDENTITY };
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dest, ...args], { encoding: "utf8", env }).trim();
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", repoDir, dest], { env });
  git("config", "core.logAllRefUpdates", "true");
  const later = git("rev-parse", "HEAD");
  const base = git("rev-parse", "--verify", `${baseCommit}^{commit}`);
  if (!laterRefs) {
    git("checkout", "--quiet", "--detach", base);
    git("remote", "remove", "origin");
    for (const ref of git("for-each-ref", "--format=%(refname)").split("\n").filter(Boolean))
      git("update-ref", "-d", ref);
    git("reflog", "expire", "--expire=now", "--all");
    git("gc", "--quiet", "--prune=now");
    return;
  }
  if (later === base) throw new Error(`prepareTestbed: ${repoDir} has no history after ${baseCommit}`);
  git("merge-base", "--is-ancestor", base, later);
  git("remote", "set-url", "origin", "https://example.invalid/upstream.git");
  git("branch", "future", later);
  git("tag", "-a", "v-future", "-m", "the release after the base", later);
  git("update-ref", LATER_REFS.remoteTracking, later);
  git("branch", "rewound", later);
  git("branch", "--force", "rewound", base);
  // HEAD's reflog: the clone checked out the later commit, then the base.
  git("checkout", "--quiet", "--detach", base);
  git("notes", "add", "-m", `The fix, as it landed later:\n${git("diff", base, later)}`, base);
  // A stash holding the later tree as uncommitted work.
  git("checkout", later, "--", ".");
  git("stash", "push", "--quiet", "-m", "future work");
  const status = git("status", "--porcelain");
  if (status) throw new Error(`prepareTestbed: /testbed is not clean at the base:\n${status}`);
}

/**
 * A repository whose commits have fixed dates and author, so the same content gives the same hashes on every run
 * (and `instanceImage` reuses its cached image). `commits` are applied in order on `main`; returns each hash.
 */
export function fixedHistoryRepo(
  dir: string,
  commits: Array<{ message: string; files: Record<string, string> }>,
): string[] {
  const date = "2024-01-01T00:00:00Z";
  const env = { PATH: process.env.PATH ?? "", HOME: dir, GIT_CONFIG_NOSYSTEM: "1", ...IDENTITY };
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", env }).trim();
  git("init", "--quiet", "--initial-branch=main");
  return commits.map((commit, index) => {
    for (const [path, content] of Object.entries(commit.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git("add", "-A");
    const when = new Date(Date.parse(date) + index * 3600_000).toISOString();
    execFileSync("git", ["-C", dir, "commit", "--quiet", "--allow-empty", "-m", commit.message], {
      env: { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    });
    return git("rev-parse", "HEAD");
  });
}
