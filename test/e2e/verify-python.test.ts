import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/data/candidate.js";
import { SandboxEnvironment } from "../../src/harness/run/sandbox-environment.js";
import { verifyCandidate } from "../../src/harness/run/verify-candidate.js";
import { userSpec } from "../../src/harness/specs/resolve.js";
import { RepoCache } from "../../src/workspace/repo-cache.js";
import {
  CALC_BASE,
  CALC_FIXED,
  diffOf,
  HAS_DEBIAN_PYTEST,
  NO_DEBIAN_PYTEST,
  PYTEST_SPEC,
  pythonFixture,
  TESTS_AFTER,
} from "../helpers/harness-fixtures.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

const fixture = HAS_DEBIAN_PYTEST ? pythonFixture() : undefined;

function run(
  patch: string,
  options: { spec?: { command?: string; setup?: string[]; python?: string }; timeoutMs?: number } = {},
) {
  if (!fixture) throw new Error("no fixture");
  const root = mkdtempSync(join(tmpdir(), "swe-review-verify-py-"));
  const candidate: Candidate = {
    candidate_id: "c",
    instance_id: fixture.instance.instance_id,
    model_patch: patch,
  };
  return verifyCandidate({
    instance: fixture.instance,
    candidate,
    spec: userSpec({ ...PYTEST_SPEC, ...options.spec }, fixture.instance.repo),
    environment: new SandboxEnvironment({
      cache: new RepoCache(join(root, "cache")),
      root: join(root, "workspaces"),
      overrides: new Map([[fixture.instance.repo, fixture.repo.dir]]),
      sandbox: { kind: HAS_BWRAP ? "bwrap" : "local" },
    }),
    timeoutMs: options.timeoutMs ?? 120_000,
    setupTimeoutMs: 60_000,
  });
}

describe.skipIf(NO_DEBIAN_PYTEST)(
  skipTitle("verify on a Python fixture (Debian's pytest, /usr/bin/python3)", NO_DEBIAN_PYTEST),
  () => {
    it("resolves the gold patch and not the empty one, reading parametrized ids with spaces and brackets and xfail", async () => {
      const gold = await run(fixture?.gold ?? "");
      expect(gold.result).toMatchObject({ applied: true, resolved: true, resolution: "FULL", outcome: "ok" });
      expect(gold.result.error).toBeUndefined();
      expect(gold.tests).toMatchObject({
        "tests/test_calc.py::test_param[a b]": "PASSED",
        "tests/test_calc.py::test_param[c[d]]": "PASSED",
        "tests/test_calc.py::test_known_bug": "XFAIL",
      });
      // The log carries SWE-bench's markers in SWE-bench's order.
      const order = [
        "Applied Patch (pred)",
        "git checkout",
        "Applied Patch (test)",
        "Start Test Output",
        "End Test Output",
      ];
      const at = order.map((text) => gold.log.indexOf(text));
      expect(at.every((index) => index >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);

      const empty = await run("");
      expect(empty.result).toMatchObject({ applied: true, resolved: false, resolution: "NO" });
      expect(empty.result.f2p.failed).toEqual(fixture?.instance.FAIL_TO_PASS);
      expect(empty.result.p2p.failed).toEqual([]);
    });

    it("marks a patch that neither git apply nor patch can apply as not applied, and falls back to patch --fuzz", async () => {
      const broken =
        "--- a/calc.py\n+++ b/calc.py\n@@ -9,2 +9,2 @@\n def mul(a, b):\n-    return a ** b\n+    return a * b * 1\n";
      const failed = await run(broken);
      expect(failed.result).toMatchObject({ applied: false, resolved: false, outcome: "patch_apply_failed" });
      expect(failed.result.error).toBeUndefined();
      expect(failed.log).toContain("+ patch --batch --fuzz=5 -p1");
      expect(failed.log).not.toContain("Start Test Output");

      // The first context line no longer matches: git apply refuses, patch applies it with fuzz.
      const fuzzy = [
        "--- a/calc.py",
        "+++ b/calc.py",
        "@@ -2,7 +2,7 @@",
        " # kept very simple on purpose",
        " ",
        " ",
        " def add(a, b):",
        "-    return a - b",
        "+    return a + b",
        " ",
        " ",
        " def mul(a, b):",
        "",
      ].join("\n");
      const fuzzed = await run(fuzzy);
      expect(fuzzed.log).toMatch(
        /\+ git apply[\s\S]*\+ patch --batch --fuzz=5 -p1[\s\S]*Applied Patch \(pred\)/,
      );
      expect(fuzzed.log).not.toContain("Patch Apply Failed");
      expect(fuzzed.result).toMatchObject({ applied: true, resolved: true });
    });

    it("resets the test files a candidate edited or created before applying the test patch", async () => {
      if (!fixture) return;
      // A fix that also rewrites the test file and creates the file the test patch creates: without the reset the
      // test patch would not apply; with it, the candidate is judged by the real tests.
      const withTests = diffOf(fixture.repo, {
        "calc.py": CALC_FIXED,
        "tests/test_calc.py": TESTS_AFTER.replace("test_known_bug", "test_renamed"),
        "tests/test_new.py": "def test_add_negative():\n    pass\n",
      });
      const fixed = await run(withTests);
      expect(fixed.result).toMatchObject({ applied: true, resolved: true });
      // A candidate that only weakens the tests is still unresolved.
      const cheat = diffOf(fixture.repo, {
        "calc.py": CALC_BASE,
        "tests/test_calc.py": "def test_add():\n    pass\n",
        "tests/test_new.py": "def test_add_negative():\n    pass\n",
      });
      const cheated = await run(cheat);
      expect(cheated.result).toMatchObject({ applied: true, resolved: false });
      expect(cheated.result.f2p.failed).toContain("tests/test_calc.py::test_add");
    });

    it("reports a test run past its time limit as timed out, and a failed setup as an error, not a verdict", async () => {
      const slow = await run(fixture?.gold ?? "", {
        spec: { command: "sleep 30; {python} -m pytest -rA {test_files}" },
        timeoutMs: 1_000,
      });
      expect(slow.result).toMatchObject({ applied: true, resolved: false, outcome: "tests_timed_out" });
      expect(slow.log).toContain("Tests Timed Out");

      const broken = await run(fixture?.gold ?? "", { spec: { setup: ["echo preparing; exit 7"] } });
      expect(broken.result).toMatchObject({ applied: null, resolved: null, resolution: null });
      expect(broken.result.error).toMatch(/^setup_failed: .*exit 7/);
      expect(broken.log).toContain("preparing");

      // A machine that lacks the interpreter or the test runner cannot judge the candidate either.
      const noPython = await run(fixture?.gold ?? "", { spec: { python: "/nonexistent/python3" } });
      expect(noPython.result.resolved).toBeNull();
      expect(noPython.result.error).toMatch(/^interpreter_unavailable: .*\/nonexistent\/python3/);
      const noRunner = await run(fixture?.gold ?? "", { spec: { command: "no-such-runner {test_files}" } });
      expect(noRunner.result.resolved).toBeNull();
      expect(noRunner.result.error).toMatch(/^test_command_unavailable: .*exit 127/);
    });

    it("reports a collection error as failures of the tests it hid, and a test patch that does not apply as an error", async () => {
      if (!fixture) return;
      const syntaxError = diffOf(fixture.repo, { "calc.py": `${CALC_FIXED}\ndef broken(:\n` });
      const collected = await run(syntaxError);
      expect(collected.result).toMatchObject({ applied: true, resolved: false });
      expect(collected.result.p2p.failed).toContain("tests/test_calc.py::test_mul");

      const badTestPatch = await verifyCandidate({
        instance: {
          ...fixture.instance,
          test_patch: fixture.instance.test_patch.replace("def test_mul", "def test_mull"),
        },
        candidate: { candidate_id: "c", instance_id: fixture.instance.instance_id, model_patch: "" },
        spec: userSpec(PYTEST_SPEC, fixture.instance.repo),
        environment: new SandboxEnvironment({
          cache: new RepoCache(mkdtempSync(join(tmpdir(), "swe-review-verify-cache-"))),
          root: mkdtempSync(join(tmpdir(), "swe-review-verify-ws-")),
          overrides: new Map([[fixture.instance.repo, fixture.repo.dir]]),
          sandbox: { kind: HAS_BWRAP ? "bwrap" : "local" },
        }),
        timeoutMs: 60_000,
        setupTimeoutMs: 60_000,
      });
      expect(badTestPatch.result.resolved).toBeNull();
      expect(badTestPatch.result.error).toMatch(/^test_patch_failed: /);
      // The log keeps what git said about it.
      expect(badTestPatch.log).toMatch(/\+ git apply --verbose \S*test\.diff\n[\s\S]*error: /);
    });
  },
);
