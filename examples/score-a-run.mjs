// @ts-check
/**
 * Score a benchmark run directory with the scoring API: CR, DA, FAR, FRR, as in the paper.
 *
 *   npm run build && node examples/score-a-run.mjs
 *
 * Needs git. It makes a tiny SWE-Review-Bench split (one repository with a bug, three candidate patches labelled
 * with whether they resolve it), runs `swe-review bench review` over it in `single-turn-diff` mode (no sandbox)
 * against a mock model server, and scores the run directory that made with `scoreRunDir`. The mock reviewer reads
 * the diff in its prompt and approves only `return a + b`: it rejects the bad patch, and also the good
 * `return b + a`, so the scores show one false rejection.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { scoreRunDir } from "swe-review";
import { startMockServer } from "swe-review/testing";

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "swe-review-example-"));
const server = await startMockServer({ respond: naiveReviewer });
try {
  // 1. A repository whose add() subtracts, and three candidate patches for it.
  const repo = join(dir, "calc");
  mkdirSync(repo);
  const git = (/** @type {string[]} */ ...args) =>
    execFileSync("git", ["-C", repo, "-c", "user.name=demo", "-c", "user.email=demo@example.com", ...args], {
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "calc.py"), "def add(a, b):\n    return a - b\n");
  git("add", ".");
  git("commit", "-qm", "calc");
  const base = git("rev-parse", "HEAD").trim();
  const patchOf = (/** @type {string} */ body) => {
    writeFileSync(join(repo, "calc.py"), `def add(a, b):\n    ${body}\n`);
    const diff = git("diff");
    git("checkout", "-q", "calc.py");
    return diff;
  };
  /** @type {Record<string, { patch: string, resolved: boolean }>} */
  const candidates = {
    "demo__calc-1": { patch: patchOf("return a + b"), resolved: true },
    "demo__calc-2": { patch: patchOf("return abs(a - b)"), resolved: false },
    "demo__calc-3": { patch: patchOf("return b + a"), resolved: true },
  };

  // 2. The split: instances, candidate patches with their labels, PR texts (SWE-Review-Bench's three files).
  const split = join(dir, "split");
  mkdirSync(split);
  const ids = Object.keys(candidates);
  /** @type {(file: string, rows: (id: string) => unknown) => void} */
  const write = (file, rows) =>
    writeFileSync(
      join(split, file),
      JSON.stringify({ instances: Object.fromEntries(ids.map((id) => [id, rows(id)])) }),
    );
  write("instances.json", (id) => ({
    instance_id: id,
    repo: "demo/calc",
    base_commit: base,
    problem_statement: "add() in calc.py subtracts: add(2, 3) returns -1 instead of 5.",
    test_patch: "",
    version: "1.0",
  }));
  write("patches_filtered.json", (id) => ({
    model_patch: candidates[id]?.patch,
    resolved: candidates[id]?.resolved,
  }));
  write("pr_contents.json", () => ({ pr_title: "Fix add", pr_body: "" }));

  // 3. The run: `swe-review bench review`, the package's own command line, against the mock server. Run
  // asynchronously: the mock server answers from this process. Its mirror cache goes in the temp folder too.
  const runDir = join(dir, "run");
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    `workspace:\n  cacheDir: ${join(dir, "cache")}\n  root: ${join(dir, "workspaces")}\n`,
  );
  await execFileAsync(process.execPath, [
    ...[
      swereviewBin(),
      "bench",
      "review",
      "--dataset",
      split,
      "--repo",
      `demo/calc=${repo}`,
      "--run-dir",
      runDir,
    ],
    ...["--mode", "single-turn-diff", "--model", "mock-model", "--base-url", server.baseUrl],
    ...["--config", config, "--log-level", "warn", "-j", "3"],
  ]);

  // 4. The scores, computed from the run directory's records against the split's labels.
  const { summary, items } = await scoreRunDir({ runDir });
  for (const item of items) {
    console.log(`${item.candidate_id}: ${item.decision} (resolved: ${item.label})`);
  }
  const { total, CR, DA, FAR, FRR, TP, FP, TN, FN } = summary;
  console.log(`scored ${total} items: CR ${CR}, DA ${DA}, FAR ${FAR}, FRR ${FRR}`);
  console.log(`TP ${TP}, FP ${FP}, TN ${TN}, FN ${FN}`);
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The mock server's answer to each chat request (a single-turn review: the diff is in the prompt): a report that
 * approves only the literal fix `return a + b`.
 *
 * @param {Record<string, unknown>} body the request's JSON body
 */
function naiveReviewer(body) {
  const prompt = JSON.stringify(body.messages);
  const approve = prompt.includes("+    return a + b");
  const report = {
    decision: { recommendation: approve ? "approve" : "request_changes", confidence: 0.7 },
    summary: {
      problem: "add subtracts",
      solution: "a patch to add()",
      overall_assessment: "naive diff check",
    },
    defects: [],
  };
  return { content: JSON.stringify(report) };
}

/** The `swe-review` command of the installed package, from its package.json (`bin`). */
function swereviewBin() {
  const manifestPath = fileURLToPath(import.meta.resolve("swe-review/package.json"));
  /** @type {{ bin: Record<string, string> }} */
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  return join(dirname(manifestPath), manifest.bin["swe-review"] ?? "dist/cli.js");
}
