/**
 * Harness overhead: the wall time of `verifyCandidate` (checkout from the mirror, sandbox, SWE-bench's patch order,
 * the tests, grading, disposal) against the bare test command run directly on a checkout with the same patches
 * applied. Goal: ratio ≤ 1.05.
 *
 *   npm run bench:harness                       # a generated Python project (Debian's pytest), ~4 s of tests
 *   npm run bench:harness -- --dataset ../shared/data/swe-bench-lite/instances.jsonl \
 *     --instance sympy__sympy-13480 --repo sympy/sympy=/path/to/sympy [--runs 5]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Instance } from "../src/data/instance.js";
import { findInstance, loadInstances } from "../src/data/load.js";
import { SandboxEnvironment } from "../src/harness/run/sandbox-environment.js";
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
  const repo = new TempRepo(join(root, "source"));
  const files: Record<string, string> = {
    "work.py": "def churn(n):\n    return sum(i * i for i in range(n)) - 1\n",
  };
  for (let i = 0; i < 40; i++) {
    files[`tests/test_work_${i}.py`] =
      `from work import churn\n\n\ndef test_churn_${i}():\n    assert churn(${300_000 + i}) > 0\n`;
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
const environment = new SandboxEnvironment({
  cache: new RepoCache(join(root, "cache")),
  root: join(root, "workspaces"),
  overrides: new Map([[instance.repo, source]]),
});
const candidate = {
  candidate_id: "gold",
  instance_id: instance.instance_id,
  model_patch: instance.patch ?? "",
};

// The bare run: a plain clone at the base with the same patches, the test command run directly.
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
const plan = planTestRun(spec, instance, { supportDir: join(root, "support") });
for (const file of plan.files) {
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.content);
}

const harnessTimes: number[] = [];
const bareTimes: number[] = [];
let resolved = true;
const verify = () =>
  verifyCandidate({
    instance,
    candidate,
    spec,
    environment,
    timeoutMs: 3_600_000,
    setupTimeoutMs: 3_600_000,
  });
await verify(); // warms the mirror and the page cache for both sides
for (let run = 0; run < runs; run++) {
  let started = performance.now();
  const verified = await verify();
  harnessTimes.push((performance.now() - started) / 1000);
  resolved &&= verified.result.resolved === true;
  started = performance.now();
  spawnSync("bash", ["-c", plan.command], {
    cwd: bare,
    env: { ...process.env, ...plan.env },
    stdio: "ignore",
  });
  bareTimes.push((performance.now() - started) / 1000);
}
const [harness, direct] = [median(harnessTimes), median(bareTimes)];
console.log(
  `instance          ${instance.instance_id} (${runs} runs each, medians; gold ${resolved ? "resolved" : "NOT resolved"})`,
);
console.log(`bare test command ${direct.toFixed(2)} s   [${bareTimes.map((t) => t.toFixed(2)).join(", ")}]`);
console.log(
  `harness           ${harness.toFixed(2)} s   [${harnessTimes.map((t) => t.toFixed(2)).join(", ")}]`,
);
console.log(
  `overhead          ${(harness - direct).toFixed(2)} s; ratio ${(harness / direct).toFixed(3)} (goal ≤ 1.05)`,
);
rmSync(root, { recursive: true, force: true });
