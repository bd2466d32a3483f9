// @ts-check
/**
 * Review a patch with a scripted reviewer: no GPU, no model, no network.
 *
 *   npm run build && node examples/review-a-patch.mjs
 *
 * Needs git, python3 and bubblewrap: the reviewer's commands run in the default sandbox (`/testbed` is the checkout,
 * `/review_data` holds the issue and the patch). It makes a tiny repository with a bug and a failing test, then
 * reviews two candidate patches with `runReview`. The reviewer is a `ScriptedModel` that works as the agentic
 * reviewer does, through the OpenHands tools (`terminal`, `finish`): it reads the issue, applies the patch, runs
 * the tests, and decides from the tests' exit code it observed. Its `finish` message is the report, so the verdict
 * printed comes out of the real agent loop and the real report parser.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RepoCache, resolveRepoSource, runReview } from "swe-review";
import { ScriptedModel } from "swe-review/testing";

const dir = mkdtempSync(join(tmpdir(), "swe-review-example-"));
try {
  // 1. A repository whose add() subtracts, with a test that says so.
  const repo = join(dir, "calc");
  mkdirSync(repo);
  const git = (/** @type {string[]} */ ...args) =>
    execFileSync("git", ["-C", repo, "-c", "user.name=demo", "-c", "user.email=demo@example.com", ...args], {
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "calc.py"), "def add(a, b):\n    return a - b\n");
  writeFileSync(
    join(repo, "test_calc.py"),
    [
      "import unittest",
      "from calc import add",
      "",
      "class AddTest(unittest.TestCase):",
      "    def test_add(self):",
      "        self.assertEqual(add(2, 3), 5)",
      "        self.assertEqual(add(-1, 1), 0)",
      "",
    ].join("\n"),
  );
  git("add", ".");
  git("commit", "-qm", "calc");

  // 2. Two candidate patches, made with git diff: one fixes the bug, one only looks like it does.
  const patchOf = (/** @type {string} */ body) => {
    writeFileSync(join(repo, "calc.py"), `def add(a, b):\n    ${body}\n`);
    const diff = git("diff");
    git("checkout", "-q", "calc.py");
    return diff;
  };
  const candidates = { "a + b": patchOf("return a + b"), "abs(a - b)": patchOf("return abs(a - b)") };
  const issue = "add() in calc.py subtracts: add(2, 3) returns -1 instead of 5.";

  for (const [name, patch] of Object.entries(candidates)) {
    const result = await runReview(
      { source: resolveRepoSource(repo), base: "main", issue, patch, mode: "agentic" },
      {
        model: new ScriptedModel(testingReviewer()),
        budget: { maxSteps: 10 },
        cache: new RepoCache(join(dir, "cache")),
        workspaceRoot: join(dir, "workspaces"),
        sandbox: { kind: "bwrap" },
        outDir: join(dir, "reviews", name.replace(/\W+/g, "-")),
      },
    );
    const { decision, source, report } = result.outcome;
    console.log(`patch "return ${name}": ${decision} (from ${source}, ${result.steps} steps)`);
    console.log(`  ${report?.summary?.overall_assessment ?? "(no report)"}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The scripted reviewer: one reply per model call. The first three are fixed tool calls; the last is a function of
 * the conversation so far, so the verdict follows what the tests did in the sandbox.
 *
 * @returns {import("swe-review/testing").ScriptedReply[]}
 */
function testingReviewer() {
  return [
    { toolCalls: [{ name: "terminal", arguments: { command: "cat /review_data/problem_statement.txt" } }] },
    {
      toolCalls: [
        {
          name: "terminal",
          arguments: {
            // predicted.json holds the candidate patch; the checkout at /testbed is at the base commit.
            command:
              "cd /testbed && python3 -c \"import json; print(json.load(open('/review_data/predicted.json'))['patch'])\" > /tmp/candidate.diff && git apply /tmp/candidate.diff && git diff --stat",
          },
        },
      ],
    },
    { toolCalls: [{ name: "terminal", arguments: { command: "python3 -m unittest -q", timeout: 60 } }] },
    (request) => {
      const exitCode = lastExitCode(request);
      const passed = exitCode === 0;
      const report = {
        decision: { recommendation: passed ? "approve" : "request_changes", confidence: passed ? 0.9 : 0.8 },
        summary: {
          problem: "add() subtracts instead of adding.",
          solution: "The patch changes add().",
          overall_assessment: `The tests exited with ${exitCode} after the patch was applied.`,
        },
        defects: passed
          ? []
          : [
              {
                severity: "high",
                category: "correctness",
                location: { path: "calc.py", start_line: 2, end_line: 2 },
                description: "test_calc.py still fails with the patch applied.",
                suggestion: "Return a + b.",
              },
            ],
      };
      return { toolCalls: [{ name: "finish", arguments: { message: JSON.stringify(report) } }] };
    },
  ];
}

/**
 * The exit code the terminal tool reported for the last command (`[The command completed with exit code N.]`).
 *
 * @param {import("swe-review").ModelRequest} request
 * @returns {number | undefined}
 */
function lastExitCode(request) {
  const observation = request.messages.findLast((message) => message.role === "tool")?.content ?? "";
  const match = /exit code (-?\d+)/.exec(observation);
  return match ? Number(match[1]) : undefined;
}
