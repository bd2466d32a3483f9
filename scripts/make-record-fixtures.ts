/**
 * Re-makes the record fixtures under `test/fixtures/records/<name>/` with the built CLI (`npm run build` first) and
 * scripted models, so `test/record-fixtures.test.ts` can pin what a release writes:
 *
 * - `loop/`: `swe-review loop --strategy iterative` (a symptom fix rejected, the revision approved): `loop.json`,
 *   `final.patch`, and under `rounds/` each generation's `result.json` and each review's `report.json` with their
 *   trajectories;
 * - `bench/`: `swe-review bench review` over two candidates: `run.json`, `instances/<key>/{candidate,report,
 *   result}.json`, trajectories; and `bench-dataset/fixture_split/`, the SWE-Review-Bench split it reviewed (what
 *   `bench score` scores it against).
 *
 * Temporary folders are replaced by `<root>`, and the run-folder markers are left out (they hold only the
 * version and the time).
 *
 *     npx tsx scripts/make-record-fixtures.ts current   # the formats this commit writes
 *
 * `legacy` was made with this script at the commit before records became snake_case and versioned (the release
 * before); do not re-make it: it stands for runs already on users' disks.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { startMockServer } from "../src/model/mock-server/server.js";
import { filesUnder } from "../test/helpers/agent-cli-run.js";
import { benchReviewer, writeBenchSplit } from "../test/helpers/bench-split.js";
import { runCli } from "../test/helpers/cli.js";
import { GENERATOR } from "../test/helpers/loop-fixture.js";
import {
  APPROVE_REPORT,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
} from "../test/helpers/review-fixture.js";

const name = process.argv[2];
if (name === undefined || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write("usage: npx tsx scripts/make-record-fixtures.ts <name>   (e.g. current)\n");
  process.exit(2);
}
const target = join(import.meta.dirname, "..", "test", "fixtures", "records", name);

async function makeLoop(root: string, env: NodeJS.ProcessEnv, issue: string): Promise<string> {
  const { repo, base } = makeFixtureRepo();
  const generator = await startMockServer({ script: GENERATOR });
  const reviewer = await startMockServer({
    script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
  });
  const out = join(root, "loop");
  try {
    const run = await runCli(
      [
        "loop",
        ...["--repo", repo.dir, "--base", base, "--issue", issue, "--out", out],
        ...["--generator", "SWE-Review-30B-A3B", "--generator-base-url", generator.baseUrl],
        ...["--reviewer", "SWE-Review-30B-A3B", "--reviewer-base-url", reviewer.baseUrl],
        ...["--strategy", "iterative", "--budget", "3"],
      ],
      { env, timeoutMs: 180_000 },
    );
    if (run.code !== 0) throw new Error(`loop exited ${run.code}: ${run.stderr}`);
  } finally {
    await generator.close();
    await reviewer.close();
  }
  return out;
}

async function makeBench(root: string, env: NodeJS.ProcessEnv): Promise<{ run: string; split: string }> {
  const { split, repoDir } = writeBenchSplit(root, 2);
  const server = await startMockServer({ respond: async (body) => benchReviewer(body) });
  const out = join(root, "bench");
  try {
    const run = await runCli(
      ["bench", "review", "--dataset", split, "--repo", `demo/inventory=${repoDir}`, "--run-dir", out],
      { env: { ...env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 180_000 },
    );
    if (run.code !== 0) throw new Error(`bench review exited ${run.code}: ${run.stderr}`);
  } finally {
    await server.close();
  }
  return { run: out, split };
}

/** The temporary folders this script and the test helpers make (`mkdtemp` of `swe-review-<what>-`). */
const TEMPORARY = new RegExp(`/?${relative("/", tmpdir())}/swe-review-[a-z-]+-[A-Za-z0-9]{6}`, "g");

/** Copies a run folder into the fixtures with the temporary folders replaced by `<root>`. */
function keep(from: string, to: string): void {
  for (const path of filesUnder(from).map((file) => relative(from, file))) {
    if (path.endsWith(".swe-review-run.json") || path.endsWith("report.html")) continue;
    const text = readFileSync(join(from, path), "utf8");
    const stripped = text.replace(TEMPORARY, "<root>");
    mkdirSync(dirname(join(to, path)), { recursive: true });
    writeFileSync(join(to, path), stripped);
  }
}

const files = fixtureFiles();
const env = files.env;
const root = mkdtempSync(join(tmpdir(), "swe-review-record-fixtures-"));
try {
  const loop = await makeLoop(root, env, files.issue);
  const bench = await makeBench(root, env);
  if (existsSync(target)) rmSync(target, { recursive: true });
  keep(loop, join(target, "loop"));
  keep(bench.run, join(target, "bench"));
  keep(bench.split, join(target, "bench-dataset", "fixture_split"));
  process.stdout.write(`wrote ${relative(process.cwd(), target)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(files.root, { recursive: true, force: true });
}
