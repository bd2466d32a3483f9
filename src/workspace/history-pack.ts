import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { GIT_ENV, GitError, git } from "./git.js";

/**
 * A history is what the commits themselves reach: replace refs a mirror may carry (`refs/replace/*`) must not pull
 * other objects into it.
 */
const NO_REPLACE = "--no-replace-objects";

/**
 * The newest commit of `commit`'s history (the commit itself included, newest first by commit date) that is in
 * `wanted`, or undefined. The walk stops at the first one found.
 */
export function firstAncestorIn(
  repo: string,
  commit: string,
  wanted: ReadonlySet<string>,
): Promise<string | undefined> {
  if (wanted.size === 0) return Promise.resolve(undefined);
  const args = [NO_REPLACE, "rev-list", commit];
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", ...GIT_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let found: string | undefined;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (found || !wanted.has(line)) return;
      found = line;
      lines.close();
      child.kill();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (found || code === 0) resolve(found);
      else reject(new GitError(args, code, stderr));
    });
  });
}

/**
 * Writes into `packDir` one pack of every object reachable from `commit` but not from `exclude` (an ancestor whose
 * history is packed already), and returns the pack's name (`pack-<hash>`). Deltas are reused from the mirror's packs
 * where their base is in the pack too; objects whose base is not are deltified again with a short window and
 * compressed fast: on sympy, what three months add packs in 0.36 s instead of 0.6 s, 2.8 MB instead of 2.4.
 */
export async function packHistory(
  repo: string,
  commit: string,
  exclude: string | undefined,
  packDir: string,
): Promise<string> {
  const { stdout } = await git(
    [
      NO_REPLACE,
      "-c",
      "pack.compression=1",
      "pack-objects",
      "--revs",
      "--delta-base-offset",
      "--window=4",
      "-q",
      `${packDir}/pack`,
    ],
    { cwd: repo, input: `${commit}\n${exclude ? `^${exclude}\n` : ""}` },
  );
  const hash = stdout.trim();
  if (!/^[0-9a-f]{40,64}$/.test(hash)) {
    throw new GitError(["pack-objects", "--revs", commit], 0, `unexpected output: ${hash.slice(0, 200)}`);
  }
  return `pack-${hash}`;
}
