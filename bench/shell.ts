/**
 * The persistent shell: the median round trip of `true` (goal <= 5 ms) and the sandbox start time, for the bwrap
 * and local sandboxes.
 *
 *   npm run bench:shell [-- --commands 300 --starts 10]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { resolveRepoSource } from "../src/workspace/repo-source.js";
import { openSandbox, type SandboxKind } from "../src/workspace/sandbox/open.js";
import { Workspace } from "../src/workspace/workspace.js";
import { TempRepo } from "../test/helpers/git-repo.js";
import { median } from "./stats.js";

const arg = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const commands = arg("commands", 300);
const starts = arg("starts", 10);

const repo = new TempRepo();
const base = repo.commit("base", { "a.py": "print(1)\n" });
const root = mkdtempSync(join(tmpdir(), "swe-review-bench-shell-"));
const workspace = await Workspace.create({
  source: resolveRepoSource(repo.dir),
  base,
  cache: new RepoCache(join(root, "cache")),
  root: join(root, "ws"),
});

async function measure(kind: SandboxKind): Promise<void> {
  const startTimes: number[] = [];
  for (let i = 0; i < starts; i++) {
    const started = performance.now();
    const box = await openSandbox(workspace, { kind });
    startTimes.push(performance.now() - started);
    await box.close();
  }
  const box = await openSandbox(workspace, { kind });
  const trips: number[] = [];
  for (let i = 0; i < commands; i++) {
    const started = performance.now();
    await box.shell.run("true", 10_000);
    trips.push(performance.now() - started);
  }
  await box.close();
  console.log(
    `${kind.padEnd(6)} sandbox start ${median(startTimes).toFixed(1)} ms (median of ${starts})  ` +
      `\`true\` round trip ${median(trips).toFixed(2)} ms median, ${trips.sort((a, b) => a - b)[Math.floor(trips.length * 0.9)]?.toFixed(2)} ms p90 (${commands} commands)`,
  );
}

try {
  if (["/usr/bin/bwrap", "/usr/local/bin/bwrap"].some((path) => existsSync(path))) await measure("bwrap");
  else console.log("bwrap  not installed: skipped");
  await measure("local");
  console.log("goal: round trip <= 5 ms");
} finally {
  await workspace.dispose();
  rmSync(root, { recursive: true, force: true });
}
