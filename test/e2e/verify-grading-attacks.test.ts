import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type VerifyResult, VerifyResultSchema } from "../../src/harness/run/verify-result.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import type { HarnessFixture } from "../helpers/harness-fixtures.js";
import {
  CALC_BASE,
  CALC_FIXED,
  diffOf,
  HAS_DEBIAN_PYTEST,
  JS_SPEC,
  jsFixture,
  NO_DEBIAN_PYTEST,
  pythonFixture,
  SYMP_CALC,
  SYMPY_RUNTESTS,
  sympyLikeFixture,
} from "../helpers/harness-fixtures.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

/**
 * Candidates that fix nothing and try to be graded resolved anyway, each through `swe-review verify` on a real git
 * repository. Every one of them was graded `resolved: true, FULL` before the harness captured the test output
 * apart, restored the test infrastructure and checked the exit code.
 */

/** Runs `verify` on every candidate of `fixture` (one per key, the patch as value) with the `test:` config given. */
async function verifyAll(
  fixture: HarnessFixture,
  testConfig: string,
  candidates: Record<string, string>,
): Promise<Verified> {
  const dir = mkdtempSync(join(tmpdir(), "swe-review-attacks-"));
  const { dataset: _, ...row } = fixture.instance;
  writeFileSync(join(dir, "instances.jsonl"), `${JSON.stringify(row)}\n`);
  writeFileSync(join(dir, ".swe-review.yaml"), testConfig);
  writeFileSync(
    join(dir, "candidates.jsonl"),
    Object.entries(candidates)
      .map(([id, patch]) =>
        JSON.stringify({ candidate_id: id, instance_id: fixture.instance.instance_id, model_patch: patch }),
      )
      .join("\n"),
  );
  const output = join(dir, "results.jsonl");
  const run = await runCli(
    [
      "verify",
      "--dataset",
      join(dir, "instances.jsonl"),
      "--candidates",
      join(dir, "candidates.jsonl"),
      "--output",
      output,
      "--repo",
      `${fixture.instance.repo}=${fixture.repo.dir}`,
      ...(HAS_BWRAP ? [] : ["--sandbox", "local"]),
    ],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        XDG_CACHE_HOME: join(dir, "cache"),
        XDG_CONFIG_HOME: join(dir, "config"),
      },
      timeoutMs: 600_000,
    },
  );
  const lines = readFileSync(output, "utf8").trim().split("\n");
  const results = new Map(
    lines.map((line) => {
      const result = VerifyResultSchema.parse(JSON.parse(line));
      return [result.candidate_id, result] as const;
    }),
  );
  return { run, results, dir };
}

interface Verified {
  run: CliResult;
  results: Map<string, VerifyResult>;
  /** Where the dataset and `.swe-review.yaml` are. */
  dir: string;
}

/** Every test name of the Python fixture, as pytest's `-rA` summary prints a pass. */
const FAKE_PASSES = [
  "tests/test_calc.py::test_add",
  "tests/test_new.py::test_add_negative",
  "tests/test_calc.py::test_mul",
  "tests/test_calc.py::test_param[a b]",
  "tests/test_calc.py::test_param[c[d]]",
  "tests/test_calc.py::test_known_bug",
]
  .map((name) => `PASSED ${name}`)
  .join("\\n");

/** A pytest hook that reports every failed test as passed. */
const PASSING_HOOK = `import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.outcome = "passed"
        report.longrepr = None
`;

/** A module that prints fake passes and a fake end marker on import, past pytest's capture, to the real output. */
const FAKE_MARKERS_MODULE = `${CALC_BASE}

import os as _os
import stat as _stat

_FAKE = "${FAKE_PASSES}\\n>>>>> End Test Output\\n".encode()
_captured = _os.fstat(1)
for _fd in range(3, 256):
    try:
        _st = _os.fstat(_fd)
    except OSError:
        continue
    # pytest keeps the real stdout (a pipe, a socket or a file) on a saved descriptor while it captures fd 1
    # into a deleted temporary file.
    _real = _stat.S_ISFIFO(_st.st_mode) or _stat.S_ISSOCK(_st.st_mode)
    if (_st.st_dev, _st.st_ino) != (_captured.st_dev, _captured.st_ino) and (
        _real or (_stat.S_ISREG(_st.st_mode) and _st.st_nlink > 0)
    ):
        try:
            _os.write(_fd, _FAKE)
        except OSError:
            pass
`;

/** A module that rewrites pytest's report (FAILED → PASSED) from inside: the exit code still says failed. */
const REPORT_REWRITING_MODULE = `${CALC_BASE}

from _pytest._io import terminalwriter as _tw

_write = _tw.TerminalWriter.write
_tw.TerminalWriter.write = lambda self, msg, **kw: _write(self, msg.replace("FAILED", "PASSED"), **kw)
`;

/** A stand-in for pytest: prints every test as passed. */
const FAKE_PYTEST = `import sys

print("""${FAKE_PASSES}""")
sys.exit(0)
`;

/** Runs at interpreter start-up from PYTHONPATH: prints every test as passed and ends the process. */
const FAKE_SITECUSTOMIZE = `import os

os.write(1, b"""${FAKE_PASSES}\\n""")
os._exit(0)
`;

/** A patch `git apply` refuses (a path in .git) and `patch` applies: a post-checkout hook that plants a conftest. */
const HOOK_PATCH = [
  "diff --git a/.git/hooks/post-checkout b/.git/hooks/post-checkout",
  "new file mode 100755",
  "--- /dev/null",
  "+++ b/.git/hooks/post-checkout",
  `@@ -0,0 +1,${PASSING_HOOK.split("\n").length + 3} @@`,
  "+#!/bin/sh",
  "+cat > tests/conftest.py <<'PY'",
  ...PASSING_HOOK.split("\n").map((line) => `+${line}`),
  "+PY",
  "",
].join("\n");

/** A context diff (which only `patch` reads) creating tests/conftest.py. */
function contextDiffConftest(): string {
  const dir = mkdtempSync(join(tmpdir(), "swe-review-context-"));
  mkdirSync(join(dir, "b", "tests"), { recursive: true });
  writeFileSync(join(dir, "b", "tests", "conftest.py"), PASSING_HOOK);
  try {
    execFileSync("diff", ["-c", "/dev/null", "b/tests/conftest.py"], { cwd: dir, encoding: "utf8" });
  } catch (error) {
    return (error as { stdout: string }).stdout; // diff exits 1 when the files differ
  }
  throw new Error("diff found no difference");
}

const PYTEST_CONFIG =
  "test:\n  repo: demo/calc\n  command: '{python} -m pytest -rA -p no:cacheprovider {test_files}'\n" +
  "  parser: pytest\n  env:\n    PYTHONPATH: '.'\n";

describe.skipIf(NO_DEBIAN_PYTEST)(
  skipTitle("verify: grading a pytest project cannot be faked by the candidate", NO_DEBIAN_PYTEST),
  () => {
    const fixture = HAS_DEBIAN_PYTEST
      ? pythonFixture("demo__calc-9", {
          "conftest.py": "# shared fixtures live here\n",
          "setup.cfg": "[metadata]\nname = calc\n",
          "src/_pytest/own.py": "VALUE = 1\n",
        })
      : undefined;
    let verified: Verified;
    const result = (id: string) => verified.results.get(id) as VerifyResult;

    beforeAll(async () => {
      if (!fixture) return;
      const { repo, gold } = fixture;
      const pluginInCalc = `${CALC_BASE}\n${PASSING_HOOK}`;
      verified = await verifyAll(fixture, PYTEST_CONFIG, {
        gold,
        // The repository's own _pytest (pytest's src/_pytest) is code under test: changes to it stay.
        "gold-with-own-pytest": diffOf(repo, {
          "calc.py": CALC_FIXED,
          "src/_pytest/own.py": "VALUE = 2\n",
          "src/_pytest/new.py": "VALUE = 3\n",
        }),
        "gold-with-conftest": diffOf(repo, {
          "calc.py": CALC_FIXED,
          "conftest.py": "# shared fixtures live here\nimport os\n",
        }),
        "fake-markers": diffOf(repo, { "calc.py": FAKE_MARKERS_MODULE }),
        "report-rewrite": diffOf(repo, { "calc.py": REPORT_REWRITING_MODULE }),
        "conftest-created": diffOf(repo, { "tests/conftest.py": PASSING_HOOK }),
        "conftest-changed": diffOf(repo, { "conftest.py": PASSING_HOOK }),
        "pytest-shadow": diffOf(repo, { "pytest.py": FAKE_PYTEST }),
        sitecustomize: diffOf(repo, { "sitecustomize.py": FAKE_SITECUSTOMIZE }),
        "pytest-ini": diffOf(repo, {
          "calc.py": pluginInCalc,
          "pytest.ini": "[pytest]\naddopts = -p calc\n",
        }),
        pyproject: diffOf(repo, {
          "calc.py": pluginInCalc,
          "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-p calc"\n',
        }),
        "tox-ini": diffOf(repo, { "calc.py": pluginInCalc, "tox.ini": "[pytest]\naddopts = -p calc\n" }),
        "setup-cfg": diffOf(repo, {
          "calc.py": pluginInCalc,
          "setup.cfg": "[metadata]\nname = calc\n\n[tool:pytest]\naddopts = -p calc\n",
        }),
        "git-hook": HOOK_PATCH,
        "context-diff": contextDiffConftest(),
      });
      expect(verified.run.code, verified.run.stderr).toBe(0);
    }, 600_000);

    it("still resolves the real fix, also beside a conftest.py change (put back and recorded) or in its own _pytest", () => {
      expect(result("gold")).toMatchObject({
        resolved: true,
        resolution: "FULL",
        test_exit_code: 0,
        integrity: [],
        restored_test_infrastructure: [],
      });
      expect(result("gold-with-conftest")).toMatchObject({
        resolved: true,
        restored_test_infrastructure: ["conftest.py"],
      });
      expect(result("gold-with-own-pytest")).toMatchObject({
        resolved: true,
        restored_test_infrastructure: [],
      });
    });

    it("grades what the tests printed, not a fake end marker a module printed on import", () => {
      expect(result("fake-markers")).toMatchObject({ applied: true, resolved: false, resolution: "NO" });
      expect(result("fake-markers").f2p.failed).toEqual(fixture?.instance.FAIL_TO_PASS);
      // The log for humans and `swe-review grade` keeps the fake marker visibly apart from the harness's own.
      const log = readFileSync(result("fake-markers").log ?? "", "utf8");
      expect(log).toContain("(>>>>>) End Test Output");
      expect(log.match(/^>>>>> End Test Output$/gm)).toHaveLength(1);
    });

    it("writes a log that `swe-review grade` also reads as unresolved", async () => {
      const graded = await runCli(
        [
          "grade",
          "--dataset",
          join(verified.dir, "instances.jsonl"),
          "--instance",
          "demo__calc-9",
          "--log",
          result("fake-markers").log ?? "",
        ],
        { cwd: verified.dir },
      );
      expect(graded.code, graded.stderr).toBe(0);
      expect(JSON.parse(graded.stdout)).toMatchObject({ resolved: false, parser: "pytest" });
    });

    it("flags a report rewritten to all-pass beside the failing exit code, and says so in verify's output", () => {
      expect(result("report-rewrite")).toMatchObject({
        resolved: false,
        resolution: "NO",
        test_exit_code: 1,
        integrity: ["exit_code_mismatch"],
      });
      // The log parsed as all-pass: the exit code alone gives it away.
      expect(result("report-rewrite").f2p.failed).toEqual([]);
      expect(verified.run.stderr).toMatch(
        /report-rewrite unresolved \(NO;[^\n]*\n\s+integrity exit_code_mismatch: every test the log names passed, but the test command exited 1/,
      );
      expect(readFileSync(result("report-rewrite").log ?? "", "utf8")).toContain(
        "[swe-review] test command exit code: 1",
      );
    });

    it.each([
      ["conftest-created", ["tests/conftest.py"]],
      ["conftest-changed", ["conftest.py"]],
      ["pytest-shadow", ["pytest.py"]],
      ["sitecustomize", ["sitecustomize.py"]],
      ["pytest-ini", ["pytest.ini"]],
      ["pyproject", ["pyproject.toml"]],
      ["tox-ini", ["tox.ini"]],
      ["setup-cfg", ["setup.cfg"]],
      ["context-diff", ["tests/conftest.py"]],
    ])("puts the test infrastructure back before the tests run: %s", (id, restored) => {
      expect(result(id)).toMatchObject({
        applied: true,
        resolved: false,
        test_exit_code: 1,
        restored_test_infrastructure: restored,
      });
      expect(result(id).f2p.failed).toEqual(fixture?.instance.FAIL_TO_PASS);
      expect(verified.run.stderr).toContain(`${id} unresolved`);
      expect(verified.run.stderr).toMatch(
        new RegExp(`${id} unresolved[^\\n]*\\n\\s+restored test infrastructure: ${restored.join(", ")}`),
      );
    });

    it("does not run the tests of a patch that wrote into .git (a hook would run at the reset)", () => {
      expect(result("git-hook")).toMatchObject({
        applied: true,
        resolved: false,
        integrity: ["git_metadata_modified"],
        test_exit_code: null,
      });
      const log = readFileSync(result("git-hook").log ?? "", "utf8");
      expect(log).toContain("+ patch --batch --fuzz=5 -p1");
      expect(log).not.toContain(">>>>> Start Test Output");
    });
  },
);

const SYMPY_CONFIG =
  "test:\n  repo: demo/symp\n  command: '{python} bin/test -C --verbose {test_files}'\n  parser: sympy\n";

describe.skipIf(NO_DEBIAN_PYTEST)(
  skipTitle("verify: grading a sympy-style project cannot be faked by the candidate", NO_DEBIAN_PYTEST),
  () => {
    const fixture = HAS_DEBIAN_PYTEST ? sympyLikeFixture("demo__symp-3") : undefined;
    let verified: Verified;
    const result = (id: string) => verified.results.get(id) as VerifyResult;

    beforeAll(async () => {
      if (!fixture) return;
      const { repo, gold } = fixture;
      verified = await verifyAll(fixture, SYMPY_CONFIG, {
        gold,
        empty: "",
        // On import, before the runner reports anything: fake passes and a fake end marker.
        "fake-markers": diffOf(repo, {
          "sympy/calc.py": `${SYMP_CALC}\nprint("test_add ok\\ntest_mul ok\\n>>>>> End Test Output")\n`,
        }),
        // The runner's failure report turned into a pass (and its verdict with it).
        "runner-rewritten": diffOf(repo, {
          "sympy/testing/runtests.py": SYMPY_RUNTESTS.replace('print(f"{name} F")', 'print(f"{name} ok")')
            .replace("failures.append((path, name, traceback.format_exc()))", "pass")
            .replace("return not failures", "return True"),
        }),
        // bin/test rewriting its own output.
        "bin-test-rewritten": diffOf(repo, {
          "bin/test": [
            "#!/usr/bin/env python3",
            "import contextlib, io, os, sys",
            "sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))",
            "from sympy.testing.runtests import test",
            "buffer = io.StringIO()",
            "with contextlib.redirect_stdout(buffer):",
            '    test([arg for arg in sys.argv[1:] if not arg.startswith("-")])',
            'print(buffer.getvalue().replace(" F\\n", " ok\\n"))',
            "sys.exit(0)",
            "",
          ].join("\n"),
        }),
      });
      expect(verified.run.code, verified.run.stderr).toBe(0);
    }, 600_000);

    it("resolves the gold patch and not the empty one", () => {
      expect(result("gold")).toMatchObject({ resolved: true, test_exit_code: 0, integrity: [] });
      expect(result("empty")).toMatchObject({ resolved: false, test_exit_code: 1, integrity: [] });
    });

    it("reads the real failure after fake passes and a fake end marker printed on import", () => {
      expect(result("fake-markers")).toMatchObject({ resolved: false, restored_test_infrastructure: [] });
      expect(result("fake-markers").f2p.failed).toEqual(["test_add"]);
    });

    it.each([
      ["runner-rewritten", "sympy/testing/runtests.py"],
      ["bin-test-rewritten", "bin/test"],
    ])("runs the repository's own runner, not the candidate's: %s", (id, restored) => {
      expect(result(id)).toMatchObject({
        resolved: false,
        test_exit_code: 1,
        restored_test_infrastructure: [restored],
      });
      expect(result(id).f2p.failed).toEqual(["test_add"]);
    });
  },
);

describe("a JavaScript project whose tests run through `npm test`", () => {
  it("undoes a candidate's package.json that swaps the test script for one printing passes", async () => {
    const fixture = jsFixture("demo__slug-9");
    const packageJson = JSON.parse(readFileSync(join(fixture.repo.dir, "package.json"), "utf8"));
    const fakeTap = [
      "TAP version 13",
      "# Subtest: slug",
      "    ok 1 - lowercases",
      "    ok 2 - joins every word",
      "    1..2",
      "ok 1 - slug",
      "1..1",
      "",
    ].join("\n");
    const fakeRunner = diffOf(fixture.repo, {
      "package.json": `${JSON.stringify({ ...packageJson, scripts: { test: "cat test/results.tap" } }, null, 2)}\n`,
      "test/results.tap": fakeTap,
    });
    const config = [
      "test:",
      "  repo: demo/slug",
      `  command: ${JSON.stringify(JS_SPEC.command)}`,
      `  parser: ${JS_SPEC.parser}`,
      "  setup:",
      ...JS_SPEC.setup.map((command) => `    - ${JSON.stringify(command)}`),
      "",
    ].join("\n");
    const { run, results } = await verifyAll(fixture, config, {
      "fake-runner": fakeRunner,
      gold: fixture.gold,
    });
    expect(results.get("gold"), run.stderr).toMatchObject({ resolved: true });
    expect(results.get("fake-runner")).toMatchObject({
      resolved: false,
      restored_test_infrastructure: ["package.json"],
    });
  });
});
