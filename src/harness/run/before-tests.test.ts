import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Instance } from "../../data/instance.js";
import type { TestRunPlan } from "../specs/plan.js";
import type { PreparedEnvironment } from "./environment.js";
import { patchAndTest } from "./patched-run.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A git checkout in a temp folder whose commands run with the host's bash (no sandbox: the steps' order is the point). */
function localCheckout(): PreparedEnvironment {
  const root = mkdtempSync(join(tmpdir(), "swe-review-before-tests-"));
  dirs.push(root);
  const testbed = join(root, "testbed");
  const tmp = join(root, "tmp");
  mkdirSync(join(testbed, "tests"), { recursive: true });
  mkdirSync(tmp);
  writeFileSync(join(testbed, "tests", "test_a.py"), "base\n");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: testbed, encoding: "utf8" }).trim();
  git("init", "-q");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
  return {
    paths: { testbed, tmp },
    commit: git("rev-parse", "HEAD"),
    setupLog: "",
    async exec(command, options) {
      try {
        const output = execFileSync("bash", ["-c", `${command} 2>&1`], {
          cwd: testbed,
          encoding: "utf8",
          env: { ...process.env, ...options.env },
        });
        return { output, exitCode: 0, timedOut: false };
      } catch (error) {
        const failed = error as { stdout?: string; status?: number };
        return { output: failed.stdout ?? "", exitCode: failed.status ?? 1, timedOut: false };
      }
    },
    async writeFile(path, content) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    },
    async dispose() {},
  };
}

const testPatch =
  "diff --git a/tests/test_a.py b/tests/test_a.py\n--- a/tests/test_a.py\n+++ b/tests/test_a.py\n@@ -1 +1 @@\n-base\n+from test patch\n";
const instance: Instance = {
  instance_id: "o__r-1",
  repo: "o/r",
  base_commit: "HEAD",
  problem_statement: "",
  test_patch: testPatch,
  dataset: "swe-bench",
};

describe("patchAndTest with beforeTests", () => {
  it("runs them after the candidate and before the reset, logs but never grades them, and goes on past a failure", async () => {
    const prepared = localCheckout();
    let log = "";
    const plan: TestRunPlan = {
      setup: [],
      // What the tests see: the test patch's file (the reset undid the step's write) and the plan's environment.
      command: 'cat tests/test_a.py; echo "PASSED t.py::test_$MODE"',
      env: { MODE: "env" },
      files: [],
      testFiles: [],
      beforeTests: [
        "echo step one saw $(cat candidate.txt); exit 3",
        "echo overwritten > tests/test_a.py; echo step two",
      ],
    };
    const candidate =
      "diff --git a/candidate.txt b/candidate.txt\nnew file mode 100644\n--- /dev/null\n+++ b/candidate.txt\n@@ -0,0 +1 @@\n+the candidate\n";
    const run = await patchAndTest(prepared, instance, candidate, plan, {
      timeoutMs: 30_000,
      infrastructure: { files: [], toolModules: [] },
      write: (text) => {
        log += text;
      },
    });
    expect(run.outcome).toBe("ok");
    expect(run.output).toBe("from test patch\nPASSED t.py::test_env\n");
    expect(log).toContain("step one saw the candidate");
    expect(log).toContain("[swe-review] before-tests step exit code 3; going on");
    expect(log.indexOf("step two")).toBeLessThan(log.indexOf(">>>>> Applied Patch (test)"));
  });

  it("runs nothing extra when the plan has no beforeTests", async () => {
    let log = "";
    const plan: TestRunPlan = {
      setup: [],
      command: "cat tests/test_a.py",
      env: {},
      files: [],
      testFiles: [],
    };
    const run = await patchAndTest(localCheckout(), instance, "", plan, {
      timeoutMs: 30_000,
      infrastructure: { files: [], toolModules: [] },
      write: (text) => {
        log += text;
      },
    });
    expect(run.output).toBe("from test patch\n");
    expect(log).not.toContain("before-tests step");
  });
});
