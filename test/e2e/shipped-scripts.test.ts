import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { CLI, runCli } from "../helpers/cli.js";
import { TempRepo } from "../helpers/git-repo.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";

/**
 * The scripts `swe-review mock-server --script <name>` ships do what docs/mock-server.md says, through the built CLI:
 * the mock server is its own process, the reviews and generations run against real temporary git repositories.
 */

interface MockProcess {
  baseUrl: string;
  turns: number;
  /** What it printed on stderr so far (the request log). */
  stderr(): string;
  stop(): Promise<number | null>;
}

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill("SIGKILL");
});

/** The observation of each step of a run, in order (one tool call a step in these scripts). */
function observations(trajectoryFile: string): string[] {
  return readTrajectory(trajectoryFile).events.flatMap((event) =>
    event.type === "step" ? [event.observations.map((o) => o.content).join("\n")] : [],
  );
}

async function mockServer(args: string[]): Promise<MockProcess> {
  const child = spawn(process.execPath, [CLI, "mock-server", ...args], {
    env: { PATH: process.env.PATH ?? "" },
  });
  running.push(child);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`mock-server exited with ${code}: ${stderr}`)));
  });
  const { baseUrl, turns } = JSON.parse(line) as { baseUrl: string; turns: number };
  return {
    baseUrl,
    turns,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      return new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** A small Python project with tests, an issue naming the file to change, and a patch that fixes it. */
function project() {
  const repo = new TempRepo();
  const base = repo.commit("calculator", {
    "calc/__init__.py": "",
    "calc/ops.py": "def add(a, b):\n    return a - b\n",
    "tests/test_ops.py":
      "import unittest\n\nfrom calc.ops import add\n\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
  });
  const root = mkdtempSync(join(tmpdir(), "swe-review-shipped-"));
  mkdirSync(join(root, "tmp"));
  const issue = join(root, "issue.md");
  writeFileSync(issue, "add() in calc/ops.py subtracts: add(2, 3) returns -1 instead of 5.\n");
  const patch = join(root, "fix.diff");
  writeFileSync(
    patch,
    "diff --git a/calc/ops.py b/calc/ops.py\n--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n",
  );
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    XDG_CACHE_HOME: join(root, "cache"),
    XDG_STATE_HOME: join(root, "state"),
    TMPDIR: join(root, "tmp"),
    SWE_REVIEW_MODEL: "mock-model",
    SWE_REVIEW_LOG_LEVEL: "warn",
  };
  return { repo, base, root, issue, patch, env };
}

describe.skipIf(!HAS_BWRAP)(
  "shipped reviewer scripts (the sandbox's /testbed and /review_data need bubblewrap)",
  () => {
    it.each([
      ["reviewer-approve", "approve", 0],
      ["reviewer-reject", "request_changes", 1],
    ] as const)("%s: swe-review review --mode agentic gives %s", async (name, decision, exitCode) => {
      const at = project();
      const server = await mockServer(["--script", name, "--log-requests"]);
      expect(server.turns).toBe(5);
      const out = join(at.root, "out");
      const result = await runCli(
        [
          "review",
          "--mode",
          "agentic",
          "--repo",
          at.repo.dir,
          "--base",
          at.base,
          "--issue",
          at.issue,
          "--patch",
          at.patch,
          "--out",
          out,
          "--base-url",
          server.baseUrl,
          "--format",
          "json",
        ],
        { env: at.env, timeoutMs: 120_000 },
      );
      expect(result.code, result.stderr).toBe(exitCode);
      expect(JSON.parse(result.stdout)).toMatchObject({
        decision,
        source: "report_file",
        status: "finished",
      });
      // What the doc says the script does: read the issue, apply the patch, run the repository's tests.
      const seen = observations(join(out, "trajectory.jsonl"));
      expect(seen[0]).toContain("add() in calc/ops.py subtracts");
      expect(seen[1]).toMatch(/^PR: N\/A\n M calc\/ops\.py\n/);
      // pytest when it is installed, unittest otherwise: the patched tests pass either way
      expect(seen[2]).toMatch(/(1 passed|Ran 1 test[\s\S]*OK)[\s\S]*\[tests exited with 0\]/);
      expect(seen[3]).toMatch(new RegExp(`^OK: ${decision}\n`));
      // The request log: one line per chat request, no bodies.
      expect(await server.stop()).toBe(0);
      const log = server.stderr().trim().split("\n");
      expect(log.filter((line) => line.startsWith("POST /v1/chat/completions 200 "))).toHaveLength(5);
      expect(log.at(-1)).toMatch(/^POST \/v1\/chat\/completions 200 \d+ ms, 0 script entries left$/);
      expect(server.stderr()).not.toContain("problem_statement");
    });
  },
);

describe.skipIf(!HAS_BWRAP)("shipped generator script", () => {
  it("generate --script generator: appends a line to the file the issue names, writes the PR content", async () => {
    const at = project();
    const server = await mockServer(["--script", "generator"]);
    const out = join(at.root, "gen");
    const result = await runCli(
      [
        "generate",
        "--repo",
        at.repo.dir,
        "--base",
        at.base,
        "--issue",
        at.issue,
        "--out",
        out,
        "--generator-base-url",
        server.baseUrl,
      ],
      { env: at.env, timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const patch = readFileSync(join(out, "candidate.patch"), "utf8");
    expect(patch).toMatch(/^diff --git a\/calc\/ops\.py b\/calc\/ops\.py/);
    expect(patch).toContain(
      "+# Changed by swe-review's scripted generator (mock-server --script generator).",
    );
    expect(JSON.parse(readFileSync(join(out, "pr.json"), "utf8"))).toMatchObject({
      pr_title: "Scripted change by swe-review's generator script",
    });
  });
});

describe.skipIf(!HAS_BWRAP)("shipped generator and reviewer scripts together", () => {
  it("loop with --script generator and --script reviewer-approve submits the first sample", async () => {
    const at = project();
    const generator = await mockServer(["--script", "generator"]);
    const reviewer = await mockServer(["--script", "reviewer-approve"]);
    const out = join(at.root, "loop");
    const result = await runCli(
      [
        "loop",
        "--repo",
        at.repo.dir,
        "--base",
        at.base,
        "--issue",
        at.issue,
        "--out",
        out,
        "--generator-base-url",
        generator.baseUrl,
        "--reviewer-base-url",
        reviewer.baseUrl,
      ],
      { env: at.env, timeoutMs: 180_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/submitted sample 1 \(approved\)/);
    expect(readFileSync(join(out, "final.patch"), "utf8")).toContain(
      "+# Changed by swe-review's scripted generator (mock-server --script generator).",
    );
  });
});

describe("shipped doctor script and script names", () => {
  it("doctor passes against mock-server --script doctor", async () => {
    const server = await mockServer([
      "--script",
      "doctor",
      "--served-model",
      "SWE-Review-8B",
      "--context-length",
      "131072",
    ]);
    const result = await runCli(["doctor", "--model", "SWE-Review-8B", "--base-url", server.baseUrl], {
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", HF_HOME: "/nonexistent" },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/✓ tool call .*native tool calls work/);
    expect(result.stdout).toMatch(/✓ structured output .*\{"answer": 42\}/);
    expect(result.stdout).not.toMatch(/✗/);
  });

  it("an unknown name is bad input that lists the shipped names; a path is still a file", async () => {
    const unknown = await runCli(["mock-server", "--script", "reviewer-aprove"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(
      /There is no shipped script 'reviewer-aprove'\. Shipped scripts: reviewer-approve, reviewer-reject, generator, doctor\./,
    );
    const missing = await runCli(["mock-server", "--script", "./no-such-script.json"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: --script \.\/no-such-script\.json: no such file/);
    expect(missing.stderr).not.toMatch(/There is no shipped script/);
  });
});
