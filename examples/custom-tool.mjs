// @ts-check
/**
 * A tool of your own beside the OpenHands toolset, called by a scripted agent in a sandbox.
 *
 *   npm run build && node examples/custom-tool.mjs
 *
 * Needs git, python3 and bubblewrap. `run_tests` is a `Tool` defined with `defineTool`: a name, a description, a zod
 * schema the model's arguments are validated against, and `run`, which here runs the repository's unittest suite in
 * the sandbox and answers with a one-line summary. The agent gets it together with `terminal`, `file_editor`,
 * `task_tracker`, `finish` and `think`: it runs the tests, fixes the bug with `file_editor`, runs them again, and
 * finishes. The example prints every observation `run_tests` returned.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  defineTool,
  MemoryTrajectory,
  openHandsToolset,
  openSandbox,
  RepoCache,
  resolveRepoSource,
  runAgent,
  Workspace,
} from "swe-review";
import { ScriptedModel } from "swe-review/testing";
import { z } from "zod";

/**
 * `run_tests`: runs `python3 -m unittest` in the sandbox's checkout; the observation is the test summary.
 *
 * @param {import("swe-review").OpenSandbox} box
 */
function runTestsTool(box) {
  return defineTool({
    name: "run_tests",
    description: "Run the repository's Python unit tests and report how many ran and whether they passed.",
    schema: z.object({
      pattern: z.string().default("test*.py").describe("Which test files to run (unittest's -p)."),
    }),
    run: async ({ pattern }) => {
      const run = await box.files.run(["python3", "-m", "unittest", "discover", "-p", pattern], {
        cwd: box.paths.testbed,
        timeoutMs: 60_000,
      });
      // unittest reports on stderr: "Ran 1 test in 0.001s", then "OK" or "FAILED (failures=1)".
      const lines = run.stderr.trim().split("\n");
      const ran = lines.find((line) => line.startsWith("Ran ")) ?? "Ran no tests";
      const verdict = lines.at(-1) ?? "";
      return { output: `${ran.replace(/ in .*/, "")}: ${verdict}`, isError: run.exitCode !== 0 };
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), "swe-review-example-"));
try {
  // A repository whose add() subtracts, with a test that catches it.
  const repo = join(dir, "calc");
  mkdirSync(repo);
  const git = (/** @type {string[]} */ ...args) =>
    execFileSync("git", ["-C", repo, "-c", "user.name=demo", "-c", "user.email=demo@example.com", ...args]);
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "calc.py"), "def add(a, b):\n    return a - b\n");
  writeFileSync(
    join(repo, "test_calc.py"),
    "import unittest\nfrom calc import add\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
  );
  git("add", ".");
  git("commit", "-qm", "calc");

  // A throwaway checkout of main (never the repository itself), and a bubblewrap sandbox over it.
  const workspace = await Workspace.create({
    source: resolveRepoSource(repo),
    base: "main",
    cache: new RepoCache(join(dir, "cache")),
    root: join(dir, "workspaces"),
  });
  const box = await openSandbox(workspace, { kind: "bwrap" });
  try {
    const tools = [
      ...openHandsToolset({
        shell: box.shell,
        files: box.files,
        paths: box.paths,
        stateDir: workspace.state,
      }),
      runTestsTool(box),
    ];
    const model = new ScriptedModel([
      { toolCalls: [{ name: "run_tests", arguments: {} }] },
      {
        toolCalls: [
          {
            name: "file_editor",
            arguments: {
              command: "str_replace",
              path: `${box.paths.testbed}/calc.py`,
              old_str: "a - b",
              new_str: "a + b",
            },
          },
        ],
      },
      { toolCalls: [{ name: "run_tests", arguments: { pattern: "test_*.py" } }] },
      { toolCalls: [{ name: "finish", arguments: { message: "Fixed add(); the tests pass." } }] },
    ]);
    const run = await runAgent({
      model,
      tools,
      system: "You fix bugs in the repository at /testbed.",
      task: "add() in calc.py subtracts. Fix it and make sure the tests pass.",
      trajectory: new MemoryTrajectory(),
      budget: { maxSteps: 10 },
    });

    // What the tool answered: the tool messages of the conversation, named after the tool that wrote them.
    for (const message of run.messages) {
      if (message.role === "tool" && message.name === "run_tests")
        console.log(`run_tests observed: ${message.content}`);
    }
    console.log(`agent ${run.status} after ${run.steps} steps: ${run.finishMessage}`);
  } finally {
    await box.close();
    await workspace.dispose();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
