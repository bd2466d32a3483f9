import { describe, expect, it } from "vitest";
import { planTestRun } from "../specs/plan.js";
import { SWE_BENCH_REPOS } from "../specs/swe-bench-repos.js";
import { sweBenchModifiedFiles, sweBenchTestDirectives } from "./directives.js";
import { sweBenchEvalParts, sweBenchEvalScript } from "./eval-script.js";
import { dockerSafeId, instanceImageName } from "./image-name.js";
import { SWE_BENCH_RUN_SPECS, sweBenchRunSpec } from "./run-specs.js";
import { sweBenchTestSpec } from "./test-spec.js";

const VERIFIED = [
  "astropy/astropy",
  "django/django",
  "matplotlib/matplotlib",
  "mwaskom/seaborn",
  "pallets/flask",
  "psf/requests",
  "pydata/xarray",
  "pylint-dev/pylint",
  "pytest-dev/pytest",
  "scikit-learn/scikit-learn",
  "sphinx-doc/sphinx",
  "sympy/sympy",
];

const patch = (...files: string[]) =>
  files
    .map((file) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1 +1,2 @@\n x\n+y\n`)
    .join("");

describe("SWE_BENCH_RUN_SPECS", () => {
  it("covers every Verified repository and every Python repository of SWE-bench, with SWE-bench's parsers", () => {
    const python = Object.keys(SWE_BENCH_REPOS).filter((repo) => repo !== "iamkun/dayjs");
    expect(Object.keys(SWE_BENCH_RUN_SPECS).sort()).toEqual(python.sort());
    for (const repo of VERIFIED) expect(SWE_BENCH_RUN_SPECS[repo]).toBeDefined();
    for (const [repo, entry] of Object.entries(SWE_BENCH_RUN_SPECS)) {
      expect(entry.parser, repo).toBe(SWE_BENCH_REPOS[repo]?.parser);
      expect(entry.directives, repo).toBe(SWE_BENCH_REPOS[repo]?.testFiles);
    }
  });

  it("looks versions up as exact strings, as SWE-bench's dict does", () => {
    expect(sweBenchRunSpec("django/django", "1.9")?.test_cmd).toBe("./tests/runtests.py --verbosity 2");
    expect(sweBenchRunSpec("django/django", "2.2")?.eval_commands).toContain("export PYTHONIOENCODING=utf8");
    expect(sweBenchRunSpec("astropy/astropy", "v5.3")?.test_cmd).toBe("pytest -rA");
    expect(sweBenchRunSpec("astropy/astropy", "5.3")).toBeUndefined();
    expect(sweBenchRunSpec("pyvista/pyvista", "0.43")?.install).toBe("python -m pip install -e .");
    expect(sweBenchRunSpec("sympy/sympy", undefined)).toBeUndefined();
    expect(sweBenchRunSpec("octo/cat", "1.0")).toBeUndefined();
  });
});

describe("SWE-bench test directives and reset files", () => {
  it("drops data files, writes Django modules without narrowing them to test files, and resets only existing files", () => {
    const testPatch = [
      patch("tests/admin_views/models.py", "tests/admin_views/tests.py", "tests/fixtures/data.json"),
      "diff --git a/tests/new_app/__init__.py b/tests/new_app/__init__.py\nnew file mode 100644\n",
      "diff --git a/tests/new_app/tests.py b/tests/new_app/tests.py\nnew file mode 100644\n--- /dev/null\n+++ b/tests/new_app/tests.py\n@@ -0,0 +1 @@\n+x\n",
    ].join("");
    expect(sweBenchTestDirectives(testPatch, "django-modules")).toEqual([
      "admin_views.models",
      "admin_views.tests",
      "new_app.__init__",
      "new_app.tests",
    ]);
    expect(sweBenchTestDirectives(testPatch, "paths")).toContain("tests/new_app/__init__.py");
    expect(sweBenchModifiedFiles(testPatch)).toEqual([
      "tests/admin_views/models.py",
      "tests/admin_views/tests.py",
      "tests/fixtures/data.json",
    ]);
  });
});

describe("sweBenchEvalParts and sweBenchTestSpec", () => {
  const row = {
    instance_id: "django__django-10097",
    repo: "django/django",
    version: "2.2",
    base_commit: "b9cf764be62e77b4777b3a75ec256f6209a57671",
    test_patch: patch("tests/validators/tests.py"),
  };

  it("cuts the script into activation, before-tests steps (eval_commands then install) and the test command", () => {
    expect(sweBenchEvalParts(row)).toEqual({
      activate: ["source /opt/miniconda3/bin/activate", "conda activate testbed"],
      beforeTests: [
        "export LANG=en_US.UTF-8",
        "export LC_ALL=en_US.UTF-8",
        "export PYTHONIOENCODING=utf8",
        "export LANGUAGE=en_US:en",
        "python setup.py install",
      ],
      exports: [
        "export LANG=en_US.UTF-8",
        "export LC_ALL=en_US.UTF-8",
        "export PYTHONIOENCODING=utf8",
        "export LANGUAGE=en_US:en",
      ],
      testCommand: "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 validators.tests",
      testFiles: ["validators.tests"],
      resetFiles: ["tests/validators/tests.py"],
      parser: "django",
    });
  });

  it("makes a per-instance spec whose plan activates conda in each step and carries the exports to the tests", () => {
    const spec = sweBenchTestSpec(row);
    expect(spec).toBeDefined();
    if (!spec) return;
    expect(spec).toMatchObject({ python: "python", setup: [], env: {}, parser: "django" });
    const plan = planTestRun(spec, row, { supportDir: "/tmp/support" });
    expect(plan.command).toBe(
      [
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "export LANG=en_US.UTF-8",
        "export LC_ALL=en_US.UTF-8",
        "export PYTHONIOENCODING=utf8",
        "export LANGUAGE=en_US:en",
        "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 validators.tests",
      ].join("\n"),
    );
    expect(plan.beforeTests).toEqual([
      [
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "export LANG=en_US.UTF-8",
        "export LC_ALL=en_US.UTF-8",
        "export PYTHONIOENCODING=utf8",
        "export LANGUAGE=en_US:en",
        "python setup.py install",
      ].join("\n"),
    ]);
    expect(plan.evalScript).toBeUndefined();
    expect(sweBenchTestSpec({ ...row, version: "0.1" })).toBeUndefined();
  });

  it("takes a row's own eval_script as is, in the script and in the plan", () => {
    const own =
      "#!/bin/bash\nset -uxo pipefail\n: '>>>>> Start Test Output'\npytest -rA\n: '>>>>> End Test Output'\n";
    const withScript = { ...row, repo: "pydata/xarray", version: "no such version", eval_script: own };
    expect(sweBenchEvalScript(withScript)).toBe(own);
    const spec = sweBenchTestSpec(withScript);
    expect(spec?.parser).toBe("pytest");
    expect(spec && planTestRun(spec, withScript, { supportDir: "/tmp/s" }).evalScript).toBe(own);
  });
});

describe("instanceImageName", () => {
  it("refuses a template placeholder the row has no value for, or that is not one, naming the template", () => {
    const row = { instance_id: "sympy__sympy-20590", repo: "sympy/sympy" };
    expect(() => instanceImageName(row, "localhost/sympy-{number}:latest")).toThrow(
      /localhost\/sympy-\{number\}:latest uses \{number\}, which sympy__sympy-20590 has no value for/,
    );
    expect(() => instanceImageName(row, "localhost/{name}:latest")).toThrow(
      /\{name\}, which is not a placeholder/,
    );
    expect(instanceImageName(row, "mirror.example/sweb.eval.{arch}.{id}:v1")).toBe(
      "mirror.example/sweb.eval.x86_64.sympy_1776_sympy-20590:v1",
    );
  });

  it("prefers the row's image_name, else SWE-bench's or Multi-SWE-bench's name", () => {
    expect(dockerSafeId("Django__django-11099")).toBe("django_1776_django-11099");
    expect(instanceImageName({ instance_id: "django__django-11099" })).toBe(
      "swebench/sweb.eval.x86_64.django_1776_django-11099:latest",
    );
    expect(instanceImageName({ instance_id: "x__y-1", image_name: "registry/own:tag" })).toBe(
      "registry/own:tag",
    );
    expect(
      instanceImageName({ instance_id: "iamkun__dayjs-1023", org: "iamkun", repo: "DayJS", number: 1023 }),
    ).toBe("mswebench/iamkun_m_dayjs:pr-1023");
  });

  it("fills a template's placeholders for a private mirror", () => {
    const template = "mirror.local/{arch}/{id}:{instance_id}";
    expect(instanceImageName({ instance_id: "sympy__sympy-20590" }, template, "arm64")).toBe(
      "mirror.local/arm64/sympy_1776_sympy-20590:sympy__sympy-20590",
    );
    expect(
      instanceImageName(
        { instance_id: "iamkun__dayjs-1023", org: "IamKun", repo: "dayjs", number: "1023" },
        "m/{org}-{repo}:{number}",
      ),
    ).toBe("m/iamkun-dayjs:1023");
  });
});
