import type { ParserName } from "../parsers/registry.js";
import type { TestFileStyle } from "./directives.js";

/**
 * The log parser SWE-bench uses for each of its repositories, and how its test command names test files. Grading
 * needs only this, so `swe-review grade` reads logs of every SWE-bench repository, including those swe-review does
 * not run itself.
 */
export const SWE_BENCH_REPOS: Readonly<Record<string, { parser: ParserName; testFiles: TestFileStyle }>> = {
  "astropy/astropy": { parser: "pytest", testFiles: "paths" },
  "django/django": { parser: "django", testFiles: "django-modules" },
  "marshmallow-code/marshmallow": { parser: "pytest", testFiles: "paths" },
  "matplotlib/matplotlib": { parser: "pytest-matplotlib", testFiles: "paths" },
  "mwaskom/seaborn": { parser: "pytest", testFiles: "paths" },
  "pallets/flask": { parser: "pytest", testFiles: "paths" },
  "psf/requests": { parser: "pytest-short-paths", testFiles: "paths" },
  "pvlib/pvlib-python": { parser: "pytest", testFiles: "paths" },
  "pydata/xarray": { parser: "pytest", testFiles: "paths" },
  "pydicom/pydicom": { parser: "pytest-short-paths", testFiles: "paths" },
  "pylint-dev/astroid": { parser: "pytest", testFiles: "paths" },
  "pylint-dev/pylint": { parser: "pytest-short-paths", testFiles: "paths" },
  "pytest-dev/pytest": { parser: "pytest", testFiles: "paths" },
  "pyvista/pyvista": { parser: "pytest", testFiles: "paths" },
  "scikit-learn/scikit-learn": { parser: "pytest", testFiles: "paths" },
  "sphinx-doc/sphinx": { parser: "pytest", testFiles: "paths" },
  "sqlfluff/sqlfluff": { parser: "pytest", testFiles: "paths" },
  "sympy/sympy": { parser: "sympy", testFiles: "paths" },
  // Multi-SWE-bench JavaScript
  "iamkun/dayjs": { parser: "jest", testFiles: "paths" },
};
