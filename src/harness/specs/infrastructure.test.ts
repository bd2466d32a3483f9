import { describe, expect, it } from "vitest";
import { InputError } from "../../common/errors.js";
import { BUILTIN_TEST_SPECS } from "./builtin.js";
import {
  commandScripts,
  infrastructureMatcher,
  packageScripts,
  testInfrastructure,
} from "./infrastructure.js";
import { userSpec } from "./resolve.js";

describe("testInfrastructure", () => {
  it("gives sympy its runner, bin/test and the test decorators, from the built-in spec", () => {
    const sympy = BUILTIN_TEST_SPECS.find((spec) => spec.repo === "sympy/sympy");
    const { files, toolModules } = testInfrastructure(sympy as (typeof BUILTIN_TEST_SPECS)[number]);
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/test",
        "sympy/testing/runtests.py",
        "sympy/utilities/runtests.py",
        "sympy/testing/pytest.py",
        "**/sitecustomize.*",
      ]),
    );
    expect(toolModules).toEqual([]);
  });

  it("adds the scripts a user's command runs and the spec's own entries to the framework's", () => {
    const spec = userSpec(
      {
        command: "PYTHONPATH=src ./tests/runtests.py --verbosity 2 {test_files}",
        parser: "django",
        infrastructure: { files: ["tests/test_sqlite.py"], toolModules: ["runner"] },
      },
      "o/r",
    );
    expect(testInfrastructure(spec)).toEqual({
      files: [
        "**/sitecustomize.*",
        "**/sitecustomize/**",
        "**/usercustomize.*",
        "**/usercustomize/**",
        "tests/runtests.py",
        "tests/test_sqlite.py",
      ],
      toolModules: ["runner"],
    });
    expect(() =>
      userSpec({ command: "x", parser: "pytest", infrastructure: { toolModules: ["not a module"] } }, "o/r"),
    ).toThrow(InputError);
  });
});

describe("commandScripts", () => {
  it("finds the script a command runs by path, not options, test files or folders", () => {
    expect(commandScripts("{python} bin/test -C --verbose {test_files}")).toEqual(["bin/test"]);
    expect(commandScripts("/usr/bin/python3 -u scripts/run.py; bash ./ci/test.sh")).toEqual([
      "scripts/run.py",
      "ci/test.sh",
    ]);
    expect(commandScripts("{python} -m pytest -rA tests/test_x.py")).toEqual([]);
    expect(commandScripts("node --test --test-reporter=tap test/")).toEqual([]);
    expect(commandScripts("npm test")).toEqual([]);
    expect(commandScripts("../outside/run.sh")).toEqual([]);
  });
});

describe("infrastructureMatcher", () => {
  const pytest = infrastructureMatcher(
    testInfrastructure({ parser: "pytest", command: "{python} -m pytest" }),
  );

  it("matches pytest's files at any depth, and nothing else", () => {
    for (const path of [
      "conftest.py",
      "tests/unit/conftest.py",
      "pytest.ini",
      "sub/tox.ini",
      "setup.cfg",
      "pyproject.toml",
      "pytest.toml",
      "src/sitecustomize.py",
      "src/usercustomize/__init__.py",
    ]) {
      expect(pytest.isFile(path), path).toBe(true);
    }
    for (const path of ["calc.py", "conftest.py.orig", "tests/test_conftest.py", "docs/setup.cfg.md"]) {
      expect(pytest.isFile(path), path).toBe(false);
    }
  });

  it("finds the tool module a path belongs to: a module file or a package folder, at any depth", () => {
    expect(pytest.toolModuleDepth("pytest.py")).toBe(1);
    expect(pytest.toolModuleDepth("src/_pytest/python.py")).toBe(2);
    expect(pytest.toolModuleDepth("pytest/__init__.py")).toBe(1);
    expect(pytest.toolModuleDepth("lib/pluggy.cpython-311-x86_64-linux-gnu.so")).toBe(2);
    expect(pytest.toolModuleDepth("pkg/py.typed")).toBeUndefined();
    expect(pytest.toolModuleDepth("pkg/pytest_helpers.py")).toBeUndefined();
    expect(pytest.toolModuleDepth("testing/test_pytest.py")).toBeUndefined();
  });
});

describe("packageScripts", () => {
  it("names package.json when the command runs one of its scripts, and nothing otherwise", () => {
    expect(packageScripts("npm test")).toEqual(["package.json"]);
    expect(packageScripts("CI=1 yarn run test:unit -- --runInBand")).toEqual(["package.json"]);
    expect(packageScripts("npx jest {test_files}")).toEqual([]);
    expect(packageScripts("npm install --legacy-peer-deps")).toEqual([]);
  });
});
