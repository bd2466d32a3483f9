import { type TestSpecInput, TestSpecSchema } from "./test-spec.js";

const PYTEST = "{python} -m pytest -rA {test_files}";
const COLLECTIONS_SHIM = [{ name: "collections-abc" as const, minPython: "3.10" }];

const sympy: TestSpecInput = {
  repo: "sympy/sympy",
  // SWE-bench's command for sympy, run from the checkout with no install step.
  command: "{python} bin/test -C --verbose {test_files}",
  parser: "sympy",
  env: { PYTHONWARNINGS: "ignore::UserWarning,ignore::SyntaxWarning" },
  requires: { pythonModules: ["mpmath"] },
};

const requests: TestSpecInput = {
  repo: "psf/requests",
  command: PYTEST,
  parser: "pytest-short-paths",
  requires: { pythonModules: ["pytest", "urllib3", "idna", "certifi", "charset_normalizer"] },
};

/**
 * The repositories swe-review runs without Docker, checked in order (the first that covers the version wins).
 * Python projects run from the checkout with the interpreter's own packages (Debian's `python3-*`), so no setup.
 */
export const BUILTIN_TEST_SPECS = [
  // sympy before 1.2 imports Mapping, Callable, … from `collections`, which Python 3.10 removed.
  { ...sympy, versions: { before: "1.2" }, shims: COLLECTIONS_SHIM },
  sympy,
  {
    repo: "pallets/flask",
    command: PYTEST,
    parser: "pytest",
    env: { PYTHONPATH: "src" },
    requires: { pythonModules: ["pytest", "werkzeug", "jinja2", "itsdangerous", "click", "markupsafe"] },
  },
  {
    repo: "pytest-dev/pytest",
    versions: { from: "7" },
    // The checkout's own pytest runs its tests: `src/` first on the path.
    command: PYTEST,
    parser: "pytest",
    env: { PYTHONPATH: "src" },
    requires: { pythonModules: ["pluggy", "iniconfig", "packaging", "attrs"] },
  },
  // requests before 2.19 (and its vendored urllib3) also import ABCs from `collections`.
  { ...requests, versions: { before: "2.19" }, shims: COLLECTIONS_SHIM },
  requests,
  {
    repo: "iamkun/dayjs",
    command: "npm test",
    parser: "jest",
    setup: ["npm install --legacy-peer-deps --ignore-scripts"],
    requires: { executables: ["node", "npm"] },
  },
].map((spec) => TestSpecSchema.parse(spec));
