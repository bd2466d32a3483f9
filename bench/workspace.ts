/**
 * Workspace cost, side by side, on disk and on tmpfs:
 *   - a raw `git worktree add --detach` from the mirror (reference);
 *   - the workspace as it was before issue 14: its checkout borrows the whole mirror's objects (alternates);
 *   - a workspace whose base history is cached (warm: every workspace at a base after the first);
 *   - the first workspace at a base whose ancestor has a history (cold, layered: its packs are reused);
 *   - the first workspace of a repository (cold, full: the base's whole history is packed).
 * Runs are interleaved so load on the machine weighs on every column alike.
 *
 *   npm run bench:workspace [-- --files 3000 --runs 5]                     a generated repository
 *   npm run bench:workspace -- --repo /path/to/clone --base <rev> [--ancestor <rev>] [--runs 5]
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { baseHistoryOf, historiesDir, provideBaseHistory } from "../src/workspace/base-history.js";
import { createCheckout } from "../src/workspace/checkout.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../src/workspace/repo-source.js";
import { writeReviewData } from "../src/workspace/review-data.js";
import { OWNER_FILE, USES_FILE, Workspace } from "../src/workspace/workspace.js";
import { median } from "./stats.js";

const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const fileCount = Number(option("files")) || 3000;
const runs = Number(option("runs")) || 5;

const root = mkdtempSync(join(tmpdir(), "swe-review-bench-ws-"));
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8", maxBuffer: 1 << 30 }).trim();

/** A repository of `fileCount` files: an ancestor commit, the base (5% of the files changed), a later commit. */
function generatedRepository(): { source: string; base: string; ancestor: string } {
  const source = join(root, "source");
  mkdirSync(source);
  git(source, "init", "--quiet");
  const commit = (message: string, every: number, version: number) => {
    for (let i = 0; i < fileCount; i += every) {
      const path = join(source, `pkg${i % 40}`, `sub${i % 7}`, `module_${i}.py`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `# module ${i} v${version}\n${"def f(x):\n    return x * 2\n".repeat(20)}`);
    }
    git(source, "add", "-A");
    git(source, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", message);
    return git(source, "rev-parse", "HEAD");
  };
  const ancestor = commit("ancestor", 1, 1);
  const base = commit("base", 20, 2);
  commit("later", 10, 3);
  git(source, "repack", "-adq"); // packed, as a mirror cloned from a server is: loose objects would favour packs
  return { source, base, ancestor };
}

function givenRepository(path: string): { source: string; base: string; ancestor: string } {
  const base = git(path, "rev-parse", `${option("base") ?? "HEAD"}^{commit}`);
  const ancestor = git(path, "rev-parse", `${option("ancestor") ?? `${base}~100`}^{commit}`);
  return { source: path, base, ancestor };
}

const repoOption = option("repo");
const { source, base, ancestor } = repoOption ? givenRepository(repoOption) : generatedRepository();
const repoSource = resolveRepoSource(source);
const cache = new RepoCache(join(root, "cache"));
const { mirror } = await cache.mirrorWith(repoSource, base);
const files = git(mirror.path, "ls-tree", "-r", "--name-only", base).split("\n").length;
const reviewData = { instanceId: "bench", repo: "bench/repo", problemStatement: "x", patch: "" };

async function timed(action: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function workspace(workRoot: string): Promise<Workspace> {
  return Workspace.create({ source: repoSource, base, cache, root: workRoot, reviewData });
}

/**
 * A workspace made as before issue 14: the same mirror lookup, folders and files as `Workspace.create`, and the
 * checkout borrowing the whole mirror's objects.
 */
async function workspaceBefore(dir: string): Promise<void> {
  await cache.mirrorWith(repoSource, base);
  for (const folder of ["review_data", "rootfs", "tmp", "state"])
    mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(
    join(dir, OWNER_FILE),
    JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString() }),
  );
  appendFileSync(join(dir, USES_FILE), `${mirror.path}\n`);
  await createCheckout(mirror.objectsDir, base, join(dir, "testbed"));
  writeReviewData(join(dir, "review_data"), reviewData);
}

const sizes = { full: 0, layered: 0 };

async function measure(label: string, workRoot: string): Promise<void> {
  mkdirSync(workRoot, { recursive: true });
  const times = {
    raw: [] as number[],
    before: [] as number[],
    warm: [] as number[],
    layered: [] as number[],
    full: [] as number[],
  };
  // The warm runs find the history a layered cold run left: the ancestor's pack and what the base adds.
  await provideBaseHistory(mirror, baseHistoryOf(mirror, ancestor));
  await provideBaseHistory(mirror, baseHistoryOf(mirror, base));
  for (let i = 0; i < runs; i++) {
    const dir = join(workRoot, `raw-${i}`);
    times.raw.push(await timed(() => git(mirror.path, "worktree", "add", "--quiet", "--detach", dir, base)));
    git(mirror.path, "worktree", "remove", "--force", dir);

    // before and warm swap places every run: neither gains from what ran just before it
    let ws: Workspace | undefined;
    const before = join(workRoot, `before-${i}`);
    for (const side of i % 2 === 0 ? ["before", "warm"] : ["warm", "before"]) {
      if (side === "before") {
        times.before.push(await timed(() => workspaceBefore(before)));
        await rm(before, { recursive: true, force: true });
      } else {
        times.warm.push(await timed(async () => (ws = await workspace(workRoot))));
        await ws?.dispose();
      }
    }

    rmSync(historiesDir(mirror), { recursive: true, force: true });
    times.full.push(await timed(async () => (ws = await workspace(workRoot))));
    sizes.full = packBytes(ws);
    await ws?.dispose();

    rmSync(historiesDir(mirror), { recursive: true, force: true });
    await provideBaseHistory(mirror, baseHistoryOf(mirror, ancestor));
    times.layered.push(await timed(async () => (ws = await workspace(workRoot))));
    sizes.layered = packBytes(ws);
    await ws?.dispose();
  }
  // Medians, and minimums: on a shared machine other work only ever adds time.
  const before = { median: median(times.before), min: Math.min(...times.before) };
  const row = (name: string, values: number[]) => {
    const [mid, min] = [median(values), Math.min(...values)];
    const figures = `${mid.toFixed(0).padStart(6)} ms ${(mid / before.median).toFixed(2)}×`;
    console.log(
      `  ${name.padEnd(66)} ${figures}  ${min.toFixed(0).padStart(6)} ms ${(min / before.min).toFixed(2)}×`,
    );
  };
  console.log(
    `${label}: ${files} files at ${base.slice(0, 10)}; ${runs} runs: median, minimum (× the workspace before)`,
  );
  row("git worktree add --detach (reference)", times.raw);
  row("workspace borrowing the whole mirror (before issue 14)", times.before);
  row("workspace, base history cached (warm; two packs)", times.warm);
  row(`workspace, first at this base, ancestor ${ancestor.slice(0, 10)} cached (cold)`, times.layered);
  row("workspace, first of this repository (cold, full history)", times.full);
}

/** Bytes of the newest pack of a workspace's history (the whole history, or what a base adds to its ancestor's). */
function packBytes(ws: Workspace | undefined): number {
  if (!ws) return 0;
  const layers = JSON.parse(readFileSync(join(ws.history.path, "layers.json"), "utf8")).layers;
  return layers.at(-1).bytes;
}

let tmpfs: string | undefined;
try {
  await measure("disk", join(root, "work"));
  try {
    tmpfs = mkdtempSync("/dev/shm/swe-review-bench-");
    await measure("tmpfs", tmpfs);
  } catch (error) {
    console.log(`tmpfs not measured: ${(error as Error).message}`);
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(
    `history pack: ${mb(sizes.full)} whole; ${mb(sizes.layered)} for what the base adds to its ancestor's`,
  );
  console.log("goal: warm ≤ 1.3× the workspace before issue 14");
} finally {
  rmSync(root, { recursive: true, force: true });
  if (tmpfs) rmSync(tmpfs, { recursive: true, force: true });
}
