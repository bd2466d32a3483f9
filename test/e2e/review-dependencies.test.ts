import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { runCli } from "../helpers/cli.js";
import { type DependencyProject, npmProject, pythonProject } from "../helpers/dependency-projects.js";
import { startMcpSession } from "../helpers/mcp-client.js";
import { APPROVE_REPORT } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

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

describe.skipIf(NO_BWRAP)(
  skipTitle("reviewing a project with dependencies (real installers, offline)", NO_BWRAP),
  () => {
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

    it("a generator works in the set-up workspace, and the candidate holds its fix and nothing setup made", async () => {
      const project = pythonProject();
      const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
      const fix = `cd /testbed && sed -i 's/text.split(" ")/text.split()/' app/titles.py && git status --short`;
      server = await startMockServer({
        script: [
          terminal(fix),
          terminal(project.testCommand),
          { toolCalls: [{ name: "finish", arguments: { message: "Fixed." } }] },
        ],
      });
      const dir = mkdtempSync(join(tmpdir(), "swe-review-deps-generate-"));
      writeFileSync(join(dir, "issue.md"), project.issue);
      const out = join(dir, "out");
      const result = await runCli(
        [
          "generate",
          "--repo",
          project.repo.dir,
          "--base",
          project.base,
          "--issue",
          join(dir, "issue.md"),
          "--out",
          out,
        ],
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            XDG_CACHE_HOME: join(home, ".cache"),
            SWE_REVIEW_BASE_URL: server.baseUrl,
            SWE_REVIEW_MODEL: "SWE-Review-30B-A3B",
            SWE_REVIEW_LOG_LEVEL: "warn",
          },
          timeoutMs: 240_000,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      // A generation's trajectory reads like a review's (its result line has no outcome: the diff is the outcome).
      const observations = readTrajectory(join(out, "trajectory.jsonl")).events.flatMap((event) =>
        event.type === "step" ? event.observations.map((o) => o.content) : [],
      );
      expect(observations[0]).toMatch(/^ ?M app\/titles\.py\n\[The command/);
      expect(observations[1]).toMatch(project.passed);
      const candidate = readFileSync(join(out, "candidate.patch"), "utf8");
      expect(candidate).toContain('+    return " ".join(titlecase(w) for w in text.split())');
      expect(candidate.match(/^diff --git/gm)).toHaveLength(1);
      expect(candidate).not.toContain(".venv");
    }, 180_000);

    it("a failing setup is an infrastructure failure with the command's tail (exit 2), never a verdict", async () => {
      const project = npmProject();
      project.repo.commit("a setup that cannot work here", {
        ".swe-review.yaml":
          "setup:\n  commands:\n    - echo 'gyp ERR! cannot build the native module' && exit 7\n",
      });
      const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
      server = await startMockServer({ script: testingReviewer(project) });
      const dir = mkdtempSync(join(tmpdir(), "swe-review-deps-fail-"));
      writeFileSync(join(dir, "issue.md"), project.issue);
      writeFileSync(join(dir, "candidate.patch"), project.correct);
      const result = await runCli(
        [
          "review",
          "--repo",
          project.repo.dir,
          "--issue",
          join(dir, "issue.md"),
          "--patch",
          join(dir, "candidate.patch"),
          "--base",
          "HEAD",
          "--out",
          join(dir, "out"),
        ],
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            SWE_REVIEW_BASE_URL: server.baseUrl,
            SWE_REVIEW_MODEL: "m",
            SWE_REVIEW_LOG_LEVEL: "warn",
          },
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /error: Setting up the workspace \(repository setup\) failed, before any agent ran/,
      );
      expect(result.stderr).toContain("gyp ERR! cannot build the native module");
      expect(result.stderr).toContain("--no-setup");
      expect(result.stderr).not.toMatch(/at \w+ \(/); // no stack trace
      expect(server.requests).toHaveLength(0); // the reviewer never started
    }, 120_000);

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

    it("the MCP server's review_patch takes dependencies: worktree (the installed folders) or none", async () => {
      const project = npmProject({ installed: true });
      const home = mkdtempSync(join(tmpdir(), "swe-review-deps-home-"));
      server = await startMockServer({ script: [...testingReviewer(project), ...testingReviewer(project)] });
      const session = await startMcpSession(["mcp", "--runs-dir", join(home, "runs")], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          SWE_REVIEW_BASE_URL: server.baseUrl,
          SWE_REVIEW_MODEL: "SWE-Review-30B-A3B",
          SWE_REVIEW_LOG_LEVEL: "warn",
        },
        cwd: project.repo.dir,
      });
      try {
        const testsSeen = async (dependencies: string) => {
          const reply = await session.client.callTool({
            name: "review_patch",
            arguments: {
              repository: ".",
              issue: project.issue,
              patch: project.correct,
              base: project.base,
              dependencies,
            },
          });
          expect(reply.isError, JSON.stringify(reply.content)).toBeFalsy();
          const { trajectory_path } = reply.structuredContent as { trajectory_path: string };
          const events = readTrajectory(trajectory_path).events;
          return events.flatMap((event) =>
            event.type === "step" ? event.observations.map((o) => o.content) : [],
          )[1];
        };
        expect(await testsSeen("worktree")).toMatch(project.passed);
        expect(await testsSeen("none")).not.toMatch(project.passed);
      } finally {
        await session.close();
      }
    }, 180_000);
  },
);
