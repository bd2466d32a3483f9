import { describe, expect, it } from "vitest";
import { sweBenchEvalScript } from "./eval-script.js";

/** A test patch from its lines (each file: its git header and a one-line hunk, enough for the script). */
const patch = (...lines: string[]) => `${lines.join("\n")}\n`;
/** An evaluation script from its lines; the test patch inside its heredoc keeps its final newline. */
const script = (...lines: string[]) => `${lines.join("\n")}\n`;

/**
 * One real instance per SWE-bench Verified repository (ids, versions and base commits from SWE-bench Lite; test
 * patches cut to their file headers): the whole script SWE-bench 4.1.0's make_eval_script_list_py writes for it.
 */
describe("sweBenchEvalScript, one repository family each", () => {
  it("astropy/astropy (astropy__astropy-6938, version 1.3)", () => {
    const row = {
      instance_id: "astropy__astropy-6938",
      repo: "astropy/astropy",
      version: "1.3",
      base_commit: "c76af9ed6bb89bfba45b9f5bc1e635188278e2fa",
      test_patch: patch(
        "diff --git a/astropy/io/fits/tests/test_checksum.py b/astropy/io/fits/tests/test_checksum.py",
        "--- a/astropy/io/fits/tests/test_checksum.py",
        "+++ b/astropy/io/fits/tests/test_checksum.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/astropy/io/fits/tests/test_table.py b/astropy/io/fits/tests/test_table.py",
        "--- a/astropy/io/fits/tests/test_table.py",
        "+++ b/astropy/io/fits/tests/test_table.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff c76af9ed6bb89bfba45b9f5bc1e635188278e2fa",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .[test] --verbose",
        "git checkout c76af9ed6bb89bfba45b9f5bc1e635188278e2fa astropy/io/fits/tests/test_checksum.py astropy/io/fits/tests/test_table.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA -vv -o console_output_style=classic --tb=no astropy/io/fits/tests/test_checksum.py astropy/io/fits/tests/test_table.py",
        ": '>>>>> End Test Output'",
        "git checkout c76af9ed6bb89bfba45b9f5bc1e635188278e2fa astropy/io/fits/tests/test_checksum.py astropy/io/fits/tests/test_table.py",
      ),
    );
  });

  it("django/django (django__django-11019, version 3.0)", () => {
    const row = {
      instance_id: "django__django-11019",
      repo: "django/django",
      version: "3.0",
      base_commit: "93e892bb645b16ebaf287beb5fe7f3ffe8d10408",
      test_patch: patch(
        "diff --git a/tests/admin_inlines/tests.py b/tests/admin_inlines/tests.py",
        "--- a/tests/admin_inlines/tests.py",
        "+++ b/tests/admin_inlines/tests.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/tests/admin_widgets/test_autocomplete_widget.py b/tests/admin_widgets/test_autocomplete_widget.py",
        "--- a/tests/admin_widgets/test_autocomplete_widget.py",
        "+++ b/tests/admin_widgets/test_autocomplete_widget.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/tests/forms_tests/tests/test_media.py b/tests/forms_tests/tests/test_media.py",
        "--- a/tests/forms_tests/tests/test_media.py",
        "+++ b/tests/forms_tests/tests/test_media.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen",
        "export LANG=en_US.UTF-8",
        "export LANGUAGE=en_US:en",
        "export LC_ALL=en_US.UTF-8",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 93e892bb645b16ebaf287beb5fe7f3ffe8d10408",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout 93e892bb645b16ebaf287beb5fe7f3ffe8d10408 tests/admin_inlines/tests.py tests/admin_widgets/test_autocomplete_widget.py tests/forms_tests/tests/test_media.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 admin_inlines.tests admin_widgets.test_autocomplete_widget forms_tests.tests.test_media",
        ": '>>>>> End Test Output'",
        "git checkout 93e892bb645b16ebaf287beb5fe7f3ffe8d10408 tests/admin_inlines/tests.py tests/admin_widgets/test_autocomplete_widget.py tests/forms_tests/tests/test_media.py",
      ),
    );
  });

  it("matplotlib/matplotlib (matplotlib__matplotlib-23314, version 3.5)", () => {
    const row = {
      instance_id: "matplotlib__matplotlib-23314",
      repo: "matplotlib/matplotlib",
      version: "3.5",
      base_commit: "97fc1154992f64cfb2f86321155a7404efeb2d8a",
      test_patch: patch(
        "diff --git a/lib/matplotlib/tests/test_axes.py b/lib/matplotlib/tests/test_axes.py",
        "--- a/lib/matplotlib/tests/test_axes.py",
        "+++ b/lib/matplotlib/tests/test_axes.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/lib/mpl_toolkits/tests/test_mplot3d.py b/lib/mpl_toolkits/tests/test_mplot3d.py",
        "--- a/lib/mpl_toolkits/tests/test_mplot3d.py",
        "+++ b/lib/mpl_toolkits/tests/test_mplot3d.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 97fc1154992f64cfb2f86321155a7404efeb2d8a",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout 97fc1154992f64cfb2f86321155a7404efeb2d8a lib/matplotlib/tests/test_axes.py lib/mpl_toolkits/tests/test_mplot3d.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA lib/matplotlib/tests/test_axes.py lib/mpl_toolkits/tests/test_mplot3d.py",
        ": '>>>>> End Test Output'",
        "git checkout 97fc1154992f64cfb2f86321155a7404efeb2d8a lib/matplotlib/tests/test_axes.py lib/mpl_toolkits/tests/test_mplot3d.py",
      ),
    );
  });

  it("mwaskom/seaborn (mwaskom__seaborn-2848, version 0.12)", () => {
    const row = {
      instance_id: "mwaskom__seaborn-2848",
      repo: "mwaskom/seaborn",
      version: "0.12",
      base_commit: "94621cef29f80282436d73e8d2c0aa76dab81273",
      test_patch: patch(
        "diff --git a/tests/test_relational.py b/tests/test_relational.py",
        "--- a/tests/test_relational.py",
        "+++ b/tests/test_relational.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 94621cef29f80282436d73e8d2c0aa76dab81273",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .[dev]",
        "git checkout 94621cef29f80282436d73e8d2c0aa76dab81273 tests/test_relational.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest --no-header -rA tests/test_relational.py",
        ": '>>>>> End Test Output'",
        "git checkout 94621cef29f80282436d73e8d2c0aa76dab81273 tests/test_relational.py",
      ),
    );
  });

  it("pallets/flask (pallets__flask-4992, version 2.3)", () => {
    const row = {
      instance_id: "pallets__flask-4992",
      repo: "pallets/flask",
      version: "2.3",
      base_commit: "4c288bc97ea371817199908d0d9b12de9dae327e",
      test_patch: patch(
        "diff --git a/tests/static/config.toml b/tests/static/config.toml",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/tests/static/config.toml",
        "@@ -0,0 +1 @@",
        "+# added by the test patch",
        "diff --git a/tests/test_config.py b/tests/test_config.py",
        "--- a/tests/test_config.py",
        "+++ b/tests/test_config.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 4c288bc97ea371817199908d0d9b12de9dae327e",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout 4c288bc97ea371817199908d0d9b12de9dae327e tests/test_config.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA tests/test_config.py",
        ": '>>>>> End Test Output'",
        "git checkout 4c288bc97ea371817199908d0d9b12de9dae327e tests/test_config.py",
      ),
    );
  });

  it("psf/requests (psf__requests-1963, version 2.3)", () => {
    const row = {
      instance_id: "psf__requests-1963",
      repo: "psf/requests",
      version: "2.3",
      base_commit: "110048f9837f8441ea536804115e80b69f400277",
      test_patch: patch(
        "diff --git a/test_requests.py b/test_requests.py",
        "--- a/test_requests.py",
        "+++ b/test_requests.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 110048f9837f8441ea536804115e80b69f400277",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install .",
        "git checkout 110048f9837f8441ea536804115e80b69f400277 test_requests.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA test_requests.py",
        ": '>>>>> End Test Output'",
        "git checkout 110048f9837f8441ea536804115e80b69f400277 test_requests.py",
      ),
    );
  });

  it("pydata/xarray (pydata__xarray-4493, version 0.12)", () => {
    const row = {
      instance_id: "pydata__xarray-4493",
      repo: "pydata/xarray",
      version: "0.12",
      base_commit: "a5f53e203c52a7605d5db799864046471115d04f",
      test_patch: patch(
        "diff --git a/xarray/tests/test_dask.py b/xarray/tests/test_dask.py",
        "--- a/xarray/tests/test_dask.py",
        "+++ b/xarray/tests/test_dask.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/xarray/tests/test_dataset.py b/xarray/tests/test_dataset.py",
        "--- a/xarray/tests/test_dataset.py",
        "+++ b/xarray/tests/test_dataset.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/xarray/tests/test_interp.py b/xarray/tests/test_interp.py",
        "--- a/xarray/tests/test_interp.py",
        "+++ b/xarray/tests/test_interp.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/xarray/tests/test_variable.py b/xarray/tests/test_variable.py",
        "--- a/xarray/tests/test_variable.py",
        "+++ b/xarray/tests/test_variable.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff a5f53e203c52a7605d5db799864046471115d04f",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout a5f53e203c52a7605d5db799864046471115d04f xarray/tests/test_dask.py xarray/tests/test_dataset.py xarray/tests/test_interp.py xarray/tests/test_variable.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA xarray/tests/test_dask.py xarray/tests/test_dataset.py xarray/tests/test_interp.py xarray/tests/test_variable.py",
        ": '>>>>> End Test Output'",
        "git checkout a5f53e203c52a7605d5db799864046471115d04f xarray/tests/test_dask.py xarray/tests/test_dataset.py xarray/tests/test_interp.py xarray/tests/test_variable.py",
      ),
    );
  });

  it("pylint-dev/pylint (pylint-dev__pylint-7114, version 2.15)", () => {
    const row = {
      instance_id: "pylint-dev__pylint-7114",
      repo: "pylint-dev/pylint",
      version: "2.15",
      base_commit: "397c1703e8ae6349d33f7b99f45b2ccaf581e666",
      test_patch: patch(
        "diff --git a/tests/checkers/unittest_imports.py b/tests/checkers/unittest_imports.py",
        "--- a/tests/checkers/unittest_imports.py",
        "+++ b/tests/checkers/unittest_imports.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/tests/lint/unittest_lint.py b/tests/lint/unittest_lint.py",
        "--- a/tests/lint/unittest_lint.py",
        "+++ b/tests/lint/unittest_lint.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 397c1703e8ae6349d33f7b99f45b2ccaf581e666",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout 397c1703e8ae6349d33f7b99f45b2ccaf581e666 tests/checkers/unittest_imports.py tests/lint/unittest_lint.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA tests/checkers/unittest_imports.py tests/lint/unittest_lint.py",
        ": '>>>>> End Test Output'",
        "git checkout 397c1703e8ae6349d33f7b99f45b2ccaf581e666 tests/checkers/unittest_imports.py tests/lint/unittest_lint.py",
      ),
    );
  });

  it("pytest-dev/pytest (pytest-dev__pytest-11148, version 8.0)", () => {
    const row = {
      instance_id: "pytest-dev__pytest-11148",
      repo: "pytest-dev/pytest",
      version: "8.0",
      base_commit: "2f7415cfbc4b6ca62f9013f1abd27136f46b9653",
      test_patch: patch(
        "diff --git a/testing/acceptance_test.py b/testing/acceptance_test.py",
        "--- a/testing/acceptance_test.py",
        "+++ b/testing/acceptance_test.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/testing/test_pathlib.py b/testing/test_pathlib.py",
        "--- a/testing/test_pathlib.py",
        "+++ b/testing/test_pathlib.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 2f7415cfbc4b6ca62f9013f1abd27136f46b9653",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout 2f7415cfbc4b6ca62f9013f1abd27136f46b9653 testing/acceptance_test.py testing/test_pathlib.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA testing/acceptance_test.py testing/test_pathlib.py",
        ": '>>>>> End Test Output'",
        "git checkout 2f7415cfbc4b6ca62f9013f1abd27136f46b9653 testing/acceptance_test.py testing/test_pathlib.py",
      ),
    );
  });

  it("scikit-learn/scikit-learn (scikit-learn__scikit-learn-25638, version 1.3)", () => {
    const row = {
      instance_id: "scikit-learn__scikit-learn-25638",
      repo: "scikit-learn/scikit-learn",
      version: "1.3",
      base_commit: "6adb209acd63825affc884abcd85381f148fb1b0",
      test_patch: patch(
        "diff --git a/sklearn/metrics/tests/test_classification.py b/sklearn/metrics/tests/test_classification.py",
        "--- a/sklearn/metrics/tests/test_classification.py",
        "+++ b/sklearn/metrics/tests/test_classification.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/sklearn/preprocessing/tests/test_label.py b/sklearn/preprocessing/tests/test_label.py",
        "--- a/sklearn/preprocessing/tests/test_label.py",
        "+++ b/sklearn/preprocessing/tests/test_label.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/sklearn/utils/tests/test_multiclass.py b/sklearn/utils/tests/test_multiclass.py",
        "--- a/sklearn/utils/tests/test_multiclass.py",
        "+++ b/sklearn/utils/tests/test_multiclass.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 6adb209acd63825affc884abcd85381f148fb1b0",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -v --no-use-pep517 --no-build-isolation -e .",
        "git checkout 6adb209acd63825affc884abcd85381f148fb1b0 sklearn/metrics/tests/test_classification.py sklearn/preprocessing/tests/test_label.py sklearn/utils/tests/test_multiclass.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "pytest -rA sklearn/metrics/tests/test_classification.py sklearn/preprocessing/tests/test_label.py sklearn/utils/tests/test_multiclass.py",
        ": '>>>>> End Test Output'",
        "git checkout 6adb209acd63825affc884abcd85381f148fb1b0 sklearn/metrics/tests/test_classification.py sklearn/preprocessing/tests/test_label.py sklearn/utils/tests/test_multiclass.py",
      ),
    );
  });

  it("sphinx-doc/sphinx (sphinx-doc__sphinx-8273, version 3.3)", () => {
    const row = {
      instance_id: "sphinx-doc__sphinx-8273",
      repo: "sphinx-doc/sphinx",
      version: "3.3",
      base_commit: "88b81a06eb635a1596617f8971fa97a84c069e93",
      test_patch: patch(
        "diff --git a/tests/test_build_manpage.py b/tests/test_build_manpage.py",
        "--- a/tests/test_build_manpage.py",
        "+++ b/tests/test_build_manpage.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff 88b81a06eb635a1596617f8971fa97a84c069e93",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .[test]",
        "git checkout 88b81a06eb635a1596617f8971fa97a84c069e93 tests/test_build_manpage.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "tox --current-env -epy39 -v -- tests/test_build_manpage.py",
        ": '>>>>> End Test Output'",
        "git checkout 88b81a06eb635a1596617f8971fa97a84c069e93 tests/test_build_manpage.py",
      ),
    );
  });

  it("sympy/sympy (sympy__sympy-12236, version 1.0)", () => {
    const row = {
      instance_id: "sympy__sympy-12236",
      repo: "sympy/sympy",
      version: "1.0",
      base_commit: "d60497958f6dea7f5e25bc41e9107a6a63694d01",
      test_patch: patch(
        "diff --git a/sympy/polys/tests/test_partfrac.py b/sympy/polys/tests/test_partfrac.py",
        "--- a/sympy/polys/tests/test_partfrac.py",
        "+++ b/sympy/polys/tests/test_partfrac.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
        "diff --git a/sympy/polys/tests/test_polytools.py b/sympy/polys/tests/test_polytools.py",
        "--- a/sympy/polys/tests/test_polytools.py",
        "+++ b/sympy/polys/tests/test_polytools.py",
        "@@ -1 +1,2 @@",
        " # context",
        "+# added by the test patch",
      ),
    };
    expect(sweBenchEvalScript(row)).toBe(
      script(
        "#!/bin/bash",
        "set -uxo pipefail",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "cd /testbed",
        "git config --global --add safe.directory /testbed",
        "cd /testbed",
        "git status",
        "git show",
        "git -c core.fileMode=false diff d60497958f6dea7f5e25bc41e9107a6a63694d01",
        "source /opt/miniconda3/bin/activate",
        "conda activate testbed",
        "python -m pip install -e .",
        "git checkout d60497958f6dea7f5e25bc41e9107a6a63694d01 sympy/polys/tests/test_partfrac.py sympy/polys/tests/test_polytools.py",
        "git apply -v - <<'EOF_114329324912'",
        row.test_patch,
        "EOF_114329324912",
        ": '>>>>> Start Test Output'",
        "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose sympy/polys/tests/test_partfrac.py sympy/polys/tests/test_polytools.py",
        ": '>>>>> End Test Output'",
        "git checkout d60497958f6dea7f5e25bc41e9107a6a63694d01 sympy/polys/tests/test_partfrac.py sympy/polys/tests/test_polytools.py",
      ),
    );
  });
});
