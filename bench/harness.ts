/**
 * Harness overhead, two ways. The test step: the harness running the test command in its sandbox (output captured
 * through a pipe, exit code, grading) against the bare command in the same checkout (goal: ratio ≤ 1.05). End to end: all of
 * `verifyCandidate` (checkout from the mirror, sandbox start, SWE-bench's patch order, tests, grading, disposal)
 * against the bare command on a plain clone with the same patches.
 *
 *   npm run bench:harness [-- --tmpfs]          # a generated Python project (Debian's pytest), ~2 s of tests
 *   npm run bench:harness -- --dataset ../shared/data/swe-bench-lite/instances.jsonl \
 *     --instance sympy__sympy-13480 --repo sympy/sympy=/path/to/sympy [--runs 5]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Instance } from "../src/data/instance.js";
import { findInstance, loadInstances } from "../src/data/load.js";
import { gradeTestRun } from "../src/harness/grading/grade.js";
import { applyCandidate, applyTestPatch } from "../src/harness/run/patch-order.js";
import { SandboxEnvironment } from "../src/harness/run/sandbox-environment.js";
import type { SandboxRun } from "../src/harness/run/sandbox-run.js";
import { verifyCandidate } from "../src/harness/run/verify-candidate.js";
import { planTestRun } from "../src/harness/specs/plan.js";
import { findTestSpec, userSpec } from "../src/harness/specs/resolve.js";
import type { TestSpec } from "../src/harness/specs/test-spec.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { parseRepoOverrides } from "../src/workspace/repo-source.js";
import { TempRepo } from "../test/helpers/git-repo.js";
import { diffOf } from "../test/helpers/harness-fixtures.js";

const flag = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const runs = Number(flag("runs") ?? 5);
const root = mkdtempSync(join(tmpdir(), "swe-review-bench-harness-"));

/** A Python project whose tests take a few seconds of CPU, with a fix and a test patch. */
function generatedInstance(): { instance: Instance; spec: TestSpec; source: string } {
  mkdirSync(join(root, "source"));
  const repo = new TempRepo(join(root, "source"));
  const files: Record<string, string> = {
    "work.py": "def churn(n):\n    return sum(i * i for i in range(n)) - 1\n",
  };
  for (let i = 0; i < 40; i++) {
    files[`tests/test_work_${i}.py`] =
      `from work import churn\n\n\ndef test_churn_${i}():\n    assert churn(${1_200_000 + i}) > 0\n`;
  }
  const base = repo.commit("base", files);
  const patch = diffOf(repo, { "work.py": "def churn(n):\n    return sum(i * i for i in range(n))\n" });
  const testFiles = Object.keys(files).filter((path) => path.startsWith("tests/"));
  const testPatch = diffOf(
    repo,
    Object.fromEntries(
      testFiles.map((path) => [path, `${files[path]}\n\ndef test_zero():\n    assert churn(0) == 0\n`]),
    ),
  );
  const instance: Instance = {
    instance_id: "bench__work-1",
    repo: "bench/work",
    base_commit: base,
    problem_statement: "",
    patch,
    test_patch: testPatch,
    FAIL_TO_PASS: testFiles.map((path) => `${path}::test_zero`),
    PASS_TO_PASS: testFiles.map((path, i) => `${path}::test_churn_${i}`),
    dataset: "swe-bench",
  };
  const spec = userSpec(
    { command: "{python} -m pytest -rA -p no:cacheprovider {test_files}", parser: "pytest" },
    instance.repo,
  );
  return { instance, spec, source: repo.dir };
}

async function chosen(): Promise<{ instance: Instance; spec: TestSpec; source: string }> {
  const dataset = flag("dataset");
  if (!dataset) return generatedInstance();
  const id = flag("instance");
  if (!id) throw new Error("--dataset needs --instance <id>");
  const instance = findInstance(await loadInstances(dataset), id, dataset);
  const spec = findTestSpec(instance);
  if (!spec) throw new Error(`no test spec for ${instance.repo}`);
  const source = parseRepoOverrides(flag("repo") ? [flag("repo") as string] : []).get(instance.repo);
  if (!source) throw new Error(`pass --repo ${instance.repo}=/path/to/clone`);
  return { instance, spec, source };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const { instance, spec, source } = await chosen();
const workspaces = process.argv.includes("--tmpfs")
  ? mkdtempSync("/dev/shm/swe-review-bench-")
  : join(root, "workspaces");
const environment = new SandboxEnvironment({
  cache: new RepoCache(join(root, "cache")),
  // --tmpfs: checkouts on /dev/shm, as `verify --tmpfs` makes them.
  root: process.argv.includes("--tmpfs")
    ? mkdtempSync("/dev/shm/swe-review-bench-")
    : join(root, "workspaces"),
  overrides: new Map([[instance.repo, source]]),
});
const candidate = {
  candidate_id: "gold",
  instance_id: instance.instance_id,
  model_patch: instance.patch ?? "",
};

// End to end: verifyCandidate (checkout, sandbox, patches, infrastructure check, tests, grading, disposal) against
// the bare command on a plain clone at the base with the same patches.
const bare = join(root, "bare");
execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", source, bare]);
execFileSync("git", ["checkout", "--quiet", instance.base_commit], { cwd: bare });
for (const [name, patch] of [
  ["gold.diff", instance.patch ?? ""],
  ["test.diff", instance.test_patch],
] as const) {
  writeFileSync(join(root, name), patch);
  execFileSync("git", ["apply", join(root, name)], { cwd: bare });
}
const hostPlan = planTestRun(spec, instance, { supportDir: join(root, "support") });
for (const file of hostPlan.files) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content);
}
const runBare = (cwd: string) => {
  const started = performance.now();
  spawnSync("bash", ["-c", hostPlan.command], {
    cwd,
    env: { ...process.env, ...hostPlan.env },
    stdio: "ignore",
  });
  return (performance.now() - started) / 1000;
};

const verify = () =>
  verifyCandidate({
    instance,
    candidate,
    spec,
    environment,
    timeoutMs: 3_600_000,
    setupTimeoutMs: 3_600_000,
  });
let resolved = (await verify()).result.resolved === true; // warms the mirror and the page cache
runBare(bare);
const endToEnd: number[] = [];
const bareClone: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  resolved &&= (await verify()).result.resolved === true;
  endToEnd.push((performance.now() - started) / 1000);
  bareClone.push(runBare(bare));
}

// The test step on one checkout: the harness's sandboxed run (output captured, exit code, grading) against the bare
// command in the very same folder.
const prepared = (await environment.prepare({
  repo: instance.repo,
  baseCommit: instance.base_commit,
  setup: spec.setup,
  env: spec.env,
  setupTimeoutMs: 3_600_000,
})) as SandboxRun;
const sandboxPlan = planTestRun(spec, instance, { supportDir: `${prepared.paths.tmp}/.swe-review-support` });
for (const file of sandboxPlan.files) await prepared.writeFile(file.path, file.content);
await applyCandidate(prepared, instance.patch ?? "");
await applyTestPatch(prepared, instance.test_patch);
const testbed = join(prepared.workspaceDir, "testbed");
const tests = instance.FAIL_TO_PASS && instance.PASS_TO_PASS ? instance : undefined;
if (!tests?.FAIL_TO_PASS || !tests.PASS_TO_PASS) throw new Error("the instance has no test lists");
const harnessStep = async () => {
  const started = performance.now();
  const run = await prepared.exec(sandboxPlan.command, { timeoutMs: 3_600_000, env: sandboxPlan.env });
  resolved &&= gradeTestRun(
    {
      instance_id: instance.instance_id,
      FAIL_TO_PASS: tests.FAIL_TO_PASS ?? [],
      PASS_TO_PASS: tests.PASS_TO_PASS ?? [],
    },
    spec,
    { outcome: "ok", applied: true, output: run.output, exitCode: run.exitCode, integrity: [] },
  ).resolved;
  return (performance.now() - started) / 1000;
};
await harnessStep();
runBare(testbed);
const step: number[] = [];
const bareSame: number[] = [];
for (let run = 0; run < runs; run++) {
  step.push(await harnessStep());
  bareSame.push(runBare(testbed));
}
await prepared.dispose();

const show = (label: string, times: number[]) =>
  console.log(
    `${label.padEnd(34)} ${median(times).toFixed(2)} s  [${times.map((t) => t.toFixed(2)).join(", ")}]`,
  );
// Medians, and minimums: on a shared machine other work only ever adds time, so the fastest run of each side is
// the least disturbed estimate.
const ratio = (a: number[], b: number[]) =>
  `overhead ${(median(a) - median(b)).toFixed(2)} s; ratio of medians ${(median(a) / median(b)).toFixed(3)}, ` +
  `of minimums ${(Math.min(...a) / Math.min(...b)).toFixed(3)}`;
console.log(
  `${instance.instance_id}: ${runs} runs each, load average ${loadavg()[0]?.toFixed(1)}; gold ${resolved ? "resolved every time" : "NOT resolved"}`,
);
show("test step, bare (same checkout)", bareSame);
show("test step, harness (sandboxed)", step);
console.log(`  ${ratio(step, bareSame)} (goal <= 1.05)`);
show("bare command (plain clone)", bareClone);
show("verifyCandidate end to end", endToEnd);
console.log(`  ${ratio(endToEnd, bareClone)} (checkout, sandbox start, patches and disposal included)`);
for (const dir of [root, workspaces]) rmSync(dir, { recursive: true, force: true });
