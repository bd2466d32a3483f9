import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { readTrajectory } from "../../src/traj/reader.js";
import { runCli } from "../helpers/cli.js";
import { type DependencyProject, npmProject, pythonProject } from "../helpers/dependency-projects.js";
import { APPROVE_REPORT } from "../helpers/review-fixture.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

const terminal = (command: string): ScriptEntry => ({
  toolCalls: [{ name: "terminal", arguments: { command } }],
});

/** A reviewer that applies the candidate, runs the project's own tests, and reports. */
function testingReviewer(project: DependencyProject): ScriptEntry[] {
  return [
    terminal(
      `python3 -c "import json; open('/tmp/p.diff', 'w').write(json.load(open('/review_data/predicted.json'))['patch'])" && cd /testbed && git apply /tmp/p.diff && git status --short`,
    ),
    terminal(project.testCommand),
    terminal(`cat > /review_report.json << 'EOF'\n${JSON.stringify(APPROVE_REPORT)}\nEOF`),
    { toolCalls: [{ name: "finish", arguments: { message: "Review written." } }] },
  ];
}

interface SetupLine {
  msg: string;
  restored?: boolean;
  seconds?: number;
  source?: string;
}

/** Reviews `patch` with the built CLI, default setup; returns what the tests printed and the setup's log line. */
async function review(
  project: DependencyProject,
  patch: string,
  home: string,
  extra: string[] = [],
  script: ScriptEntry[] = testingReviewer(project),
) {
  server = await startMockServer({ script });
  const dir = mkdtempSync(join(tmpdir(), "swe-review-deps-review-"));
  const patchFile = join(dir, "candidate.patch");
  const issueFile = join(dir, "issue.md");
  writeFileSync(patchFile, patch);
  writeFileSync(issueFile, project.issue);
  const out = join(dir, "out");
  const result = await runCli(
    [
      "review",
      "--repo",
      project.repo.dir,
      "--issue",
      issueFile,
      "--patch",
      patchFile,
      "--base",
      project.base,
      "--out",
      out,
      ...extra,
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        XDG_CACHE_HOME: join(home, ".cache"),
        SWE_REVIEW_BASE_URL: server.baseUrl,
        SWE_REVIEW_MODEL: "SWE-Review-30B-A3B",
        SWE_REVIEW_LOG_LEVEL: "info",
      },
      timeoutMs: 240_000,
    },
  );
  const events = readTrajectory(join(out, "trajectory.jsonl")).events;
  const observations = events.flatMap((event) =>
    event.type === "step" ? event.observations.map((o) => o.content) : [],
  );
  const setup = result.stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as SetupLine)
    .find((line) => line.msg.startsWith("workspace set up"));
  return { result, tests: observations[1] ?? "", applied: observations[0] ?? "", setup, out };
}

describe.skipIf(!HAS_BWRAP)("reviewing a project with dependencies (real installers, offline)", () => {
  for (const make of [npmProject, pythonProject]) {
    it(`${make.name}: the workspace is set up from its lockfile, the reviewer's test run tells the fixes apart, and the second review reuses the setup`, async () => {
      const project = make();
      const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
      const before = project.repo.git("status", "--porcelain");

      const correct = await review(project, project.correct, home);
      expect(correct.result.code, correct.result.stderr).toBe(0);
      expect(correct.setup).toMatchObject({ msg: "workspace set up", restored: false, source: "detected" });
      expect(correct.tests).toMatch(project.passed);
      // What setup made is not the candidate's: git in the workspace shows the patch's file only.
      expect(correct.applied.split("\n[The command")[0]?.trim()).toMatch(/^M (slug\.js|app\/titles\.py)$/);

      const wrong = await review(project, project.wrong, home);
      expect(wrong.setup).toMatchObject({ msg: "workspace set up from the cache", restored: true });
      expect(wrong.tests).toMatch(project.failed);
      console.log(
        `${make.name}: setup ${correct.setup?.seconds} s the first time, ${wrong.setup?.seconds} s from the cache`,
      );

      // Without setup the tests cannot load the dependency at all.
      const bare = await review(project, project.correct, home, ["--no-setup"]);
      expect(bare.setup).toBeUndefined();
      expect(bare.tests).not.toMatch(project.passed);
      expect(project.repo.git("status", "--porcelain")).toBe(before);
    }, 300_000);
  }

  it("a single-turn review sets nothing up: it runs nothing in the workspace", async () => {
    const project = npmProject();
    const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
    const run = await review(
      project,
      project.correct,
      home,
      ["--mode", "single-turn-context"],
      [{ content: JSON.stringify(APPROVE_REPORT) }],
    );
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.setup).toBeUndefined();
    expect(run.result.stderr).not.toContain("running setup");
  }, 120_000);

  it("--deps-from-worktree exposes the working tree's node_modules read-only, without a setup", async () => {
    const project = npmProject({ installed: true });
    const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
    const run = await review(project, project.correct, home, ["--deps-from-worktree"]);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.setup).toBeUndefined();
    expect(run.tests).toMatch(project.passed);
    expect(readFileSync(join(run.out, "report.json"), "utf8")).toContain('"decision": "approve"');
  }, 120_000);
});
