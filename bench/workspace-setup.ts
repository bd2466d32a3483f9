/**
 * What preparing an agent's workspace costs, per project (an npm project with a lockfile, a Python project with
 * requirements.txt; both offline, their dependency vendored), side by side with what a user would do by hand:
 *   - by hand: a fresh clone and the installer on the host (`npm ci`; `python3 -m venv` + `pip install`);
 *   - swe-review, cold: a workspace and its setup in the networked sandbox, archived into an empty cache;
 *   - swe-review, cached: a workspace whose setup is restored from the cache (every review after the first);
 *   - swe-review, --deps-from-worktree: the worktree's installed folders mounted read-only (no setup at all).
 * Each column is the median of `--runs` runs; the workspace itself (checkout) is included in every swe-review column.
 *
 *   npm run bench:workspace-setup [-- --runs 5]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { prepareAgentWorkspace, type WorkspaceSetupSettings } from "../src/agent-place/agent-setup.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../src/workspace/repo-source.js";
import { SetupCache } from "../src/workspace/setup/setup-cache.js";
import { Workspace } from "../src/workspace/workspace.js";
import { type DependencyProject, npmProject, pythonProject } from "../test/helpers/dependency-projects.js";
import { median } from "./stats.js";

const at = process.argv.indexOf("--runs");
const runs = (at >= 0 ? Number(process.argv[at + 1]) : 0) || 5;
const root = mkdtempSync(join(tmpdir(), "swe-review-bench-setup-"));
const env = { ...process.env, HOME: join(root, "home"), npm_config_cache: join(root, "npm-cache") };

const byHand: Record<string, string> = {
  npmProject: "npm ci --offline --no-audit --no-fund",
  pythonProject: "python3 -m venv .venv && .venv/bin/python -m pip install -q -r requirements.txt",
};

async function seconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function swe(
  project: DependencyProject,
  settings: WorkspaceSetupSettings,
  cache: RepoCache,
): Promise<number> {
  let workspace: Workspace | undefined;
  const time = await seconds(async () => {
    workspace = await Workspace.create({
      source: resolveRepoSource(project.repo.dir),
      base: project.base,
      cache,
      root: join(root, "workspaces"),
    });
    await prepareAgentWorkspace(workspace, {}, settings, { kind: "bwrap" });
  });
  await workspace?.dispose();
  return time;
}

const rows: string[][] = [];
for (const make of [npmProject, pythonProject]) {
  const project = make();
  const mirrors = new RepoCache(join(root, "mirrors", make.name));
  const base: WorkspaceSetupSettings = { enabled: true, timeoutMs: 600_000 };
  const columns: Record<string, number[]> = { hand: [], cold: [], cached: [], worktree: [] };
  const warm = new SetupCache(join(root, "setup-warm", make.name));
  await swe(project, { ...base, cache: warm }, mirrors); // fills the cache and the mirror
  const clone = join(root, "by-hand");
  // The worktree's own installed dependencies, for --deps-from-worktree.
  execFileSync("bash", ["-c", byHand[make.name] ?? ""], { cwd: project.repo.dir, env, stdio: "ignore" });
  for (let run = 0; run < runs; run++) {
    rmSync(clone, { recursive: true, force: true });
    columns.hand?.push(
      await seconds(() => {
        execFileSync("git", ["clone", "-q", project.repo.dir, clone], { env });
        execFileSync("bash", ["-c", byHand[make.name] ?? ""], { cwd: clone, env, stdio: "ignore" });
      }),
    );
    const cold = new SetupCache(join(root, `setup-cold-${make.name}-${run}`));
    columns.cold?.push(await swe(project, { ...base, cache: cold }, mirrors));
    columns.cached?.push(await swe(project, { ...base, cache: warm }, mirrors));
    columns.worktree?.push(await swe(project, { ...base, depsFrom: project.repo.dir }, mirrors));
  }
  rows.push([
    make.name,
    ...["hand", "cold", "cached", "worktree"].map((c) => median(columns[c] ?? []).toFixed(2)),
  ]);
}
rmSync(root, { recursive: true, force: true });

console.log(`workspace setup, median of ${runs} runs (seconds)`);
console.log(
  "| project | by hand (clone + install) | swe-review, cold | swe-review, cached | --deps-from-worktree |",
);
console.log("|---|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
