import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Instance } from "../../src/data/instance.js";
import { TempRepo } from "./git-repo.js";
import { type SkipReason, unless } from "./skip.js";

/** Debian's Python with pytest (`python3-pytest`): the Python fixture runs with it. */
export const HAS_DEBIAN_PYTEST = (() => {
  if (!existsSync("/usr/bin/python3")) return false;
  try {
    execFileSync("/usr/bin/python3", ["-c", "import pytest"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Why tests that run the Python fixture skip here (undefined when Debian's python3 and pytest are installed). */
export const NO_DEBIAN_PYTEST: SkipReason = unless(
  HAS_DEBIAN_PYTEST,
  "Debian's Python with pytest is not installed (apt-get install python3-pytest)",
);

/** A fixture repository at its base commit, an instance of it, and patches written against it. */
export interface HarnessFixture {
  repo: TempRepo;
  instance: Instance;
  /** The reference fix. */
  gold: string;
}

/** The diff `change` makes to the repository's current commit (the repository is left unchanged). */
export function diffOf(repo: TempRepo, change: Record<string, string | null>): string {
  for (const [path, content] of Object.entries(change)) {
    if (content === null) repo.git("rm", "-q", path);
    else repo.write({ [path]: content });
  }
  repo.git("add", "-A");
  const diff = repo.git("diff", "--cached");
  repo.git("reset", "-q", "--hard");
  return diff;
}

export const CALC_BASE = `# calc: small arithmetic helpers
# kept simple on purpose


def add(a, b):
    return a - b


def mul(a, b):
    return a * b
`;

export const CALC_FIXED = CALC_BASE.replace("return a - b", "return a + b");

const TESTS_BASE = `from calc import mul


def test_mul():
    assert mul(2, 3) == 6
`;

/** The test patch's version: a FAIL_TO_PASS test, parametrized ids with spaces and brackets, an xfail. */
export const TESTS_AFTER = `import pytest

from calc import add, mul


def test_mul():
    assert mul(2, 3) == 6


def test_add():
    assert add(2, 3) == 5


@pytest.mark.parametrize("text", ["a b", "c[d]"])
def test_param(text):
    assert mul(len(text), 1) == len(text)


@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert mul(1, 1) == 2
`;

const NEW_TEST = `from calc import add


def test_add_negative():
    assert add(-1, -1) == -2
`;

/**
 * A small Python project whose `add` subtracts. Its test patch edits `tests/test_calc.py` and creates
 * `tests/test_new.py`; run with Debian's pytest under /usr/bin/python3. `extraBase`: more files in the base.
 */
export function pythonFixture(id = "demo__calc-1", extraBase: Record<string, string> = {}): HarnessFixture {
  const repo = new TempRepo();
  const base = repo.commit("base", {
    "calc.py": CALC_BASE,
    "tests/__init__.py": "",
    "tests/test_calc.py": TESTS_BASE,
    ...extraBase,
  });
  const gold = diffOf(repo, { "calc.py": CALC_FIXED });
  const testPatch = diffOf(repo, { "tests/test_calc.py": TESTS_AFTER, "tests/test_new.py": NEW_TEST });
  return {
    repo,
    gold,
    instance: {
      instance_id: id,
      repo: "demo/calc",
      base_commit: base,
      problem_statement: "add() subtracts",
      patch: gold,
      test_patch: testPatch,
      FAIL_TO_PASS: ["tests/test_calc.py::test_add", "tests/test_new.py::test_add_negative"],
      PASS_TO_PASS: [
        "tests/test_calc.py::test_mul",
        "tests/test_calc.py::test_param[a b]",
        "tests/test_calc.py::test_param[c[d]]",
        "tests/test_calc.py::test_known_bug",
      ],
      dataset: "swe-bench",
    },
  };
}

export const PYTEST_SPEC = {
  command: "{python} -m pytest -rA -p no:cacheprovider {test_files}",
  parser: "pytest",
} as const;

/** sympy's `bin/test`, reduced: the runner it imports from the checkout decides what is printed. */
const SYMPY_BIN_TEST = `#!/usr/bin/env python3
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from sympy.testing.runtests import test

sys.exit(0 if test([arg for arg in sys.argv[1:] if not arg.startswith("-")]) else 1)
`;

/** sympy's runner, reduced to its `--verbose` report: `test_x ok`, `test_x F` and a traceback section per failure. */
export const SYMPY_RUNTESTS = `import importlib.util
import traceback


def test(paths):
    print("============================= test process starts ==============================")
    failures = []
    for path in paths:
        spec = importlib.util.spec_from_file_location("under_test", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        names = [name for name in vars(module) if name.startswith("test_")]
        print(f"{path}[{len(names)}] ")
        for name in names:
            try:
                getattr(module, name)()
            except Exception:
                failures.append((path, name, traceback.format_exc()))
                print(f"{name} F")
            else:
                print(f"{name} ok")
    for path, name, trace in failures:
        print(f"________________ {path}:{name} ________________")
        print(trace)
    print(f"======= tests finished: {'FAILED' if failures else 'ok'} =======")
    return not failures
`;

export const SYMP_CALC = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";

/**
 * A sympy-shaped project (`bin/test`, `sympy/testing/runtests.py`) whose `add` subtracts, tested the way
 * SWE-bench tests sympy (`bin/test -C --verbose <files>`, sympy's log parser). FAIL_TO_PASS: test_add.
 */
export function sympyLikeFixture(id = "demo__symp-1"): HarnessFixture {
  const repo = new TempRepo();
  const testsBase = "from sympy.calc import mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n";
  const base = repo.commit("base", {
    "bin/test": SYMPY_BIN_TEST,
    "sympy/__init__.py": "",
    "sympy/calc.py": SYMP_CALC,
    "sympy/testing/__init__.py": "",
    "sympy/testing/runtests.py": SYMPY_RUNTESTS,
    "sympy/tests/test_calc.py": testsBase,
  });
  const gold = diffOf(repo, { "sympy/calc.py": SYMP_CALC.replace("a - b", "a + b") });
  const testPatch = diffOf(repo, {
    "sympy/tests/test_calc.py": testsBase
      .replace("from sympy.calc import mul", "from sympy.calc import add, mul")
      .concat("\n\ndef test_add():\n    assert add(2, 3) == 5\n"),
  });
  return {
    repo,
    gold,
    instance: {
      instance_id: id,
      repo: "demo/symp",
      base_commit: base,
      problem_statement: "add() subtracts",
      patch: gold,
      test_patch: testPatch,
      FAIL_TO_PASS: ["test_add"],
      PASS_TO_PASS: ["test_mul"],
      dataset: "swe-bench",
    },
  };
}

const SLUG_BASE = `const { sep } = require("fixture-sep");

exports.slug = (text) => text.toLowerCase().replace(" ", sep);
`;

const SLUG_TEST_BASE = `const { describe, it } = require("node:test");
const assert = require("node:assert");
const { slug } = require("../lib/slug");

describe("slug", () => {
  it("lowercases", () => assert.strictEqual(slug("Hello"), "hello"));
});
`;

const SLUG_TEST_AFTER = SLUG_TEST_BASE.replace(
  "});\n",
  `  it("joins every word", () => assert.strictEqual(slug("a b c"), "a-b-c"));
});
`,
);

/**
 * A small JavaScript project tested with node's test runner (TAP). Its dependency `fixture-sep` is not in the
 * repository: the setup "installs" it into the ignored `node_modules/`, as `npm install` would.
 */
export function jsFixture(id = "demo__slug-1"): HarnessFixture {
  const repo = new TempRepo();
  const base = repo.commit("base", {
    ".gitignore": "node_modules/\n",
    "package.json": `${JSON.stringify({ name: "slug", private: true, scripts: { test: "node --test --test-reporter=tap test/" } }, null, 2)}\n`,
    "lib/slug.js": SLUG_BASE,
    "test/slug.test.js": SLUG_TEST_BASE,
  });
  const gold = diffOf(repo, {
    "lib/slug.js": SLUG_BASE.replace('.replace(" ", sep)', '.replaceAll(" ", sep)'),
  });
  const testPatch = diffOf(repo, { "test/slug.test.js": SLUG_TEST_AFTER });
  return {
    repo,
    gold,
    instance: {
      instance_id: id,
      repo: "demo/slug",
      base_commit: base,
      problem_statement: "slug() joins only the first two words",
      patch: gold,
      test_patch: testPatch,
      FAIL_TO_PASS: ["slug > joins every word"],
      PASS_TO_PASS: ["slug > lowercases"],
      dataset: "multi-swe-bench",
    },
  };
}

/** What the JS fixture's setup does in place of `npm install`. */
export const JS_SETUP = [
  "mkdir -p node_modules/fixture-sep",
  `echo 'module.exports = { sep: "-" };' > node_modules/fixture-sep/index.js`,
];

export const JS_SPEC = { command: "npm test", parser: "tap", setup: JS_SETUP } as const;
