import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { skipTitle, unless } from "../../../test/helpers/skip.js";
import { testDirectives } from "./directives.js";
import { planTestRun } from "./plan.js";
import { findTestSpec, parserFor } from "./resolve.js";
import { compareVersions, coversVersion } from "./test-spec.js";

function diff(path: string, kind: "modify" | "create" | "delete" = "modify"): string {
  const [from, to] =
    kind === "create"
      ? ["/dev/null", `b/${path}`]
      : kind === "delete"
        ? [`a/${path}`, "/dev/null"]
        : [`a/${path}`, `b/${path}`];
  const mode =
    kind === "create" ? "new file mode 100644\n" : kind === "delete" ? "deleted file mode 100644\n" : "";
  return `diff --git a/${path} b/${path}\n${mode}--- ${from}\n+++ ${to}\n@@ -1 +1 @@\n-a\n+b\n`;
}

const sympyTestPatch = [
  diff("sympy/core/tests/test_basic.py"),
  diff("sympy/core/tests/data/table.csv"),
  diff("sympy/core/tests/test_new.py", "create"),
  diff("doc/notes.md"),
].join("");

describe("testDirectives", () => {
  it("keeps the files a test patch touches except data files (SWE-bench's non-test extensions)", () => {
    expect(testDirectives(sympyTestPatch)).toEqual([
      "sympy/core/tests/test_basic.py",
      "sympy/core/tests/test_new.py",
    ]);
    expect(testDirectives(diff("tests/old_test.py", "delete"))).toEqual(["tests/old_test.py"]);
  });

  it("writes Django test modules as dotted paths without tests/, and drops non-test modules", () => {
    const patch = [
      diff("tests/admin_views/test_forms.py"),
      diff("tests/admin_views/models.py"),
      diff("tests/queries/tests.py"),
      diff("tests/fixtures/fixtures/data.json"),
      diff("tests/template_tests/filter_tests/test_upper.py"),
      diff("django/test/utils.py"),
    ].join("");
    expect(testDirectives(patch, "django-modules")).toEqual([
      "admin_views.test_forms",
      "queries.tests",
      "template_tests.filter_tests.test_upper",
    ]);
  });

  it("names the patch in the error for a malformed one", () => {
    expect(() =>
      testDirectives("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n", "paths", "the test_patch of x__y-1"),
    ).toThrow(/the test_patch of x__y-1/);
  });
});

describe("built-in specs", () => {
  it("run sympy with bin/test and its test files, and add the collections shim only for sympy < 1.2 on Python >= 3.10", () => {
    const old = findTestSpec({ repo: "sympy/sympy", version: "1.1" });
    if (!old) throw new Error("no sympy 1.1 spec");
    const plan = planTestRun(
      old,
      { instance_id: "sympy__sympy-1", test_patch: sympyTestPatch },
      { pythonVersion: "3.11", supportDir: "/tmp/support" },
    );
    expect(plan.command).toBe(
      "/usr/bin/python3 bin/test -C --verbose sympy/core/tests/test_basic.py sympy/core/tests/test_new.py",
    );
    expect(plan.env).toEqual({
      PYTHONWARNINGS: "ignore::UserWarning,ignore::SyntaxWarning",
      PYTHONPATH: "/tmp/support",
    });
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]?.path).toBe("/tmp/support/sitecustomize.py");
    expect(plan.files[0]?.content).toContain("collections.abc.__all__");
    const onOldPython = planTestRun(
      old,
      { instance_id: "x", test_patch: sympyTestPatch },
      { pythonVersion: "3.9", supportDir: "/s" },
    );
    expect(onOldPython.files).toEqual([]);
    const recent = findTestSpec({ repo: "sympy/sympy", version: "1.12" });
    if (!recent) throw new Error("no sympy 1.12 spec");
    expect(
      planTestRun(recent, { instance_id: "x", test_patch: sympyTestPatch }, { supportDir: "/s" }).files,
    ).toEqual([]);
  });

  it("cover flask, pytest >= 7 (not older), requests and dayjs", () => {
    expect(findTestSpec({ repo: "pallets/flask", version: "2.3" })).toMatchObject({
      parser: "pytest",
      env: { PYTHONPATH: "src" },
    });
    expect(findTestSpec({ repo: "pytest-dev/pytest", version: "7.0" })?.command).toBe(
      "{python} -m pytest -rA {test_files}",
    );
    expect(findTestSpec({ repo: "pytest-dev/pytest", version: "5.4" })).toBeUndefined();
    expect(findTestSpec({ repo: "psf/requests", version: "2.3" })?.shims).toHaveLength(1);
    expect(findTestSpec({ repo: "psf/requests", version: "2.26" })?.shims).toEqual([]);
    const dayjs = findTestSpec({ repo: "iamkun/dayjs" });
    expect(dayjs).toMatchObject({
      command: "npm test",
      parser: "jest",
      setup: ["npm install --legacy-peer-deps --ignore-scripts"],
    });
    if (!dayjs) throw new Error("no dayjs spec");
    expect(
      planTestRun(dayjs, { instance_id: "iamkun__dayjs-1", test_patch: "" }, { supportDir: "/s" }),
    ).toMatchObject({
      command: "npm test",
      testFiles: [],
    });
  });

  it("quote test files for the shell and refuse a command that would run the whole suite", () => {
    const spec = findTestSpec({ repo: "pallets/flask", version: "2.3" });
    if (!spec) throw new Error("no flask spec");
    const plan = planTestRun(
      { ...spec, python: "/opt/py 3/bin/python" },
      { instance_id: "x", test_patch: diff("tests/it's.py") },
      { supportDir: "/s" },
    );
    expect(plan.command).toBe("'/opt/py 3/bin/python' -m pytest -rA 'tests/it'\\''s.py'");
    expect(() =>
      planTestRun(
        spec,
        { instance_id: "pallets__flask-9", test_patch: diff("docs/x.md") },
        { supportDir: "/s" },
      ),
    ).toThrow(/test_patch of pallets__flask-9 touches no test files/);
  });
});

const noPython = unless(existsSync("/usr/bin/python3"), "no /usr/bin/python3 (apt-get install python3)");
describe.skipIf(noPython)(skipTitle("the collections shim, on this machine's Python", noPython), () => {
  it("lets code written for Python < 3.10 import ABCs from collections", () => {
    const spec = findTestSpec({ repo: "sympy/sympy", version: "1.0" });
    if (!spec) throw new Error("no sympy 1.0 spec");
    const supportDir = join(mkdtempSync(join(tmpdir(), "swe-review-shim-")), "support");
    const plan = planTestRun(spec, { instance_id: "x", test_patch: sympyTestPatch }, { supportDir });
    for (const file of plan.files) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.content);
    }
    const output = execFileSync(
      "/usr/bin/python3",
      ["-c", "from collections import Mapping, Callable, MutableMapping; print(Mapping.__module__)"],
      { env: { PATH: process.env.PATH ?? "", ...plan.env }, encoding: "utf8" },
    );
    expect(output.trim()).toBe("collections.abc");
  });
});

describe("findTestSpec and parserFor with a user spec", () => {
  const user = { command: "npx vitest run --reporter=verbose", parser: "vitest", setup: "npm ci" };

  it("use the user's spec for a repository without a built-in one, and for the repository it names", () => {
    expect(findTestSpec({ repo: "me/app" }, user)).toMatchObject({
      repo: "me/app",
      parser: "vitest",
      setup: ["npm ci"],
      python: "/usr/bin/python3",
    });
    expect(findTestSpec({ repo: "iamkun/dayjs" }, user)?.parser).toBe("jest");
    expect(findTestSpec({ repo: "iamkun/dayjs" }, { ...user, repo: "iamkun/dayjs" })?.parser).toBe("vitest");
    expect(() => findTestSpec({ repo: "me/app" }, { ...user, parser: "nose" })).toThrow(
      /test.parser 'nose'.*vitest/,
    );
  });

  it("fall back to SWE-bench's parser for a repository swe-review does not run, and name the fix otherwise", () => {
    expect(parserFor({ repo: "django/django", version: "3.0" })).toBe("django");
    expect(parserFor({ repo: "matplotlib/matplotlib", version: "3.5" })).toBe("pytest-matplotlib");
    expect(() => parserFor({ repo: "me/app" })).toThrow(/No log parser is known for me\/app.*--parser/);
  });
});

describe("versions", () => {
  it("compare as dotted numbers and ranges include from and exclude before", () => {
    expect(compareVersions("1.10", "1.9")).toBeGreaterThan(0);
    expect(compareVersions("v5.3", "5.3")).toBe(0);
    expect(coversVersion({ versions: { before: "1.2" } }, "1.1")).toBe(true);
    expect(coversVersion({ versions: { before: "1.2" } }, "1.2")).toBe(false);
    expect(coversVersion({ versions: { from: "7" } }, "7.0")).toBe(true);
    expect(coversVersion({ versions: { from: "7" } }, undefined)).toBe(false);
    expect(coversVersion({}, undefined)).toBe(true);
  });
});
