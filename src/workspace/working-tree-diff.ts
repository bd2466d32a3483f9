import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../common/errors.js";
import { GIT_ENV, git } from "./git.js";

/**
 * The changes in a clone's working tree against `rev`, new untracked files included (ignored files are not), as a
 * unified diff: what a coding agent just did. Works on a temporary index, so the working tree, the real index and
 * every ref stay exactly as they were (git only adds the blobs it hashes to the object store).
 */
export async function workingTreeDiff(
  repo: string,
  rev: string,
  /** How the revision was given, for the error message (a flag or a tool argument). */
  given = "--diff-from",
): Promise<{ diff: string; commit: string }> {
  let commit: string;
  try {
    commit = (await git(["rev-parse", "--verify", `${rev}^{commit}`], { cwd: repo })).stdout.trim();
  } catch {
    throw new InputError("revision_missing", `${given} ${rev}: no such commit in ${repo}.`);
  }
  const dir = mkdtempSync(join(tmpdir(), "swe-review-index-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  try {
    await gitWith(["read-tree", commit], repo, env);
    await gitWith(["add", "--all", "--", ":/"], repo, env);
    const diff = await gitWith(
      ["diff", "--cached", "--no-color", "--no-ext-diff", "--full-index", commit],
      repo,
      env,
    );
    return { diff, commit };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gitWith(args: string[], cwd: string, extra: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/", ...GIT_ENV, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`git ${args.join(" ")} failed: ${err.trim()}`)),
    );
  });
}
