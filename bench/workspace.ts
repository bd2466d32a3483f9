/**
 * Checkout cost: our workspace (standalone repository borrowing the mirror's objects, review data, sandbox
 * folders) against a raw `git worktree add --detach` of the same commit from the same mirror, on a generated
 * repository with 2,000+ files. On disk and on tmpfs.
 *
 *   npm run bench:workspace [-- --files 3000 --runs 7]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../src/workspace/repo-source.js";
import { Workspace } from "../src/workspace/workspace.js";

const arg = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const fileCount = arg("files", 3000);
const runs = arg("runs", 7);

const root = mkdtempSync(join(tmpdir(), "swe-review-bench-ws-"));
const source = join(root, "source");
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" });

mkdirSync(source);
git(source, "init", "--quiet");
for (let i = 0; i < fileCount; i++) {
  const path = join(source, `pkg${i % 40}`, `sub${i % 7}`, `module_${i}.py`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `# module ${i}\n${"def f(x):\n    return x * 2\n".repeat(20)}`);
}
git(source, "add", "-A");
git(source, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "base");
const commit = git(source, "rev-parse", "HEAD").trim();
writeFileSync(join(source, "later.py"), "x = 1\n");
git(source, "add", "-A");
git(source, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "later");

const cache = new RepoCache(join(root, "cache"));
const { mirror } = await cache.mirrorWith(resolveRepoSource(source), commit);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(label: string, workRoot: string): Promise<void> {
  mkdirSync(workRoot, { recursive: true });
  const raw: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = join(workRoot, `raw-${i}`);
    let start = performance.now();
    git(mirror.path, "worktree", "add", "--quiet", "--detach", dir, commit);
    raw.push(performance.now() - start);
    git(mirror.path, "worktree", "remove", "--force", dir);

    start = performance.now();
    const ws = await Workspace.create({
      source: resolveRepoSource(source),
      base: commit,
      cache,
      root: workRoot,
      reviewData: { instanceId: "bench", repo: "bench/repo", problemStatement: "x", patch: "" },
    });
    ours.push(performance.now() - start);
    await ws.dispose();
  }
  const ratio = median(ours) / median(raw);
  console.log(
    `${label.padEnd(8)} files ${fileCount}  git worktree add ${median(raw).toFixed(0)} ms  ` +
      `swe-review workspace ${median(ours).toFixed(0)} ms  ratio ${ratio.toFixed(2)} (median of ${runs})`,
  );
}

try {
  await measure("disk", join(root, "work"));
  try {
    await measure("tmpfs", mkdtempSync("/dev/shm/swe-review-bench-"));
  } catch (error) {
    console.log(`tmpfs    not measured: ${(error as Error).message}`);
  }
  console.log("goal: ratio <= 1.1");
} finally {
  rmSync(root, { recursive: true, force: true });
  execFileSync("sh", ["-c", "rm -rf /dev/shm/swe-review-bench-*"]);
}
