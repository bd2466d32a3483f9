import { z } from "zod";
import type { ParserName } from "../parsers/registry.js";

/**
 * A repository's test infrastructure, as data: the files that decide what its tests run and how they report.
 * Whatever a candidate does to them is undone before the tests run (see `restore-infrastructure.ts`), so a
 * candidate is judged by the repository's own runner, not by one it rewrote.
 *
 * - `files`: paths from the checkout's root; `*` stands for any part of a name, `**` for any number of folders
 *   (`**\/conftest.py`: a conftest.py in any folder; `**\/sitecustomize/**`: everything in such a folder). A file
 *   the candidate changed or deleted is checked out from the base commit; one it created is removed.
 * - `toolModules`: Python modules of the test tool itself (`pytest`, `_pytest`). A module of that name the
 *   candidate created anywhere (`pytest.py`, `pytest/…`, a compiled `pytest.*.so`) is removed: it would shadow
 *   the tool. One the base commit has is the repository's own code (pytest's `src/_pytest`) and stays.
 */
export const InfrastructureSchema = z
  .object({
    files: z.array(z.string().min(1)).default([]),
    toolModules: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected a module name")).default([]),
  })
  .strict();
export type Infrastructure = z.infer<typeof InfrastructureSchema>;

/** Python runs these at startup from any folder on its path (`PYTHONPATH=src` makes `src/` one). */
const PYTHON_STARTUP = [
  "**/sitecustomize.*",
  "**/sitecustomize/**",
  "**/usercustomize.*",
  "**/usercustomize/**",
];

/** Everything pytest reads before it runs a test: conftest files and every file its configuration may live in. */
const PYTEST: Infrastructure = {
  files: [
    ...PYTHON_STARTUP,
    "**/conftest.py",
    "**/pytest.ini",
    "**/.pytest.ini",
    "**/pytest.toml",
    "**/.pytest.toml",
    "**/tox.ini",
    "**/setup.cfg",
    "**/pyproject.toml",
  ],
  toolModules: ["pytest", "_pytest", "py", "pluggy"],
};

/** Each framework's infrastructure, by the log parser that names it. */
const BY_PARSER: Record<ParserName, Infrastructure> = {
  pytest: PYTEST,
  "pytest-short-paths": PYTEST,
  "pytest-matplotlib": PYTEST,
  // bin/test imports the runner from sympy/testing (sympy/utilities before 1.6), and the tests take their
  // decorators (XFAIL, slow, raises) from the pytest module beside it.
  sympy: {
    files: [
      ...PYTHON_STARTUP,
      "bin/test",
      "sympy/testing/runtests.py",
      "sympy/utilities/runtests.py",
      "sympy/testing/pytest.py",
      "sympy/utilities/pytest.py",
    ],
    toolModules: [],
  },
  django: { files: [...PYTHON_STARTUP, "tests/runtests.py"], toolModules: [] },
  // Babel's configuration decides how Jest transforms every test file before it runs.
  jest: { files: ["**/jest.config.*", "**/.babelrc*", "**/babel.config.*"], toolModules: [] },
  vitest: { files: ["**/vitest.config.*", "**/vitest.workspace.*"], toolModules: [] },
  mocha: { files: ["**/.mocharc*"], toolModules: [] },
  tap: { files: ["**/.taprc"], toolModules: [] },
};

/**
 * The infrastructure of a spec: its framework's (by parser), the scripts its command runs by path
 * (`{python} bin/test …` → `bin/test`), and what the spec adds.
 */
export function testInfrastructure(spec: {
  parser: ParserName;
  command: string;
  infrastructure?: Infrastructure | undefined;
}): Infrastructure {
  const framework = BY_PARSER[spec.parser];
  return {
    files: unique([
      ...framework.files,
      ...commandScripts(spec.command),
      ...packageScripts(spec.command),
      ...(spec.infrastructure?.files ?? []),
    ]),
    toolModules: unique([...framework.toolModules, ...(spec.infrastructure?.toolModules ?? [])]),
  };
}

/** A relative path with a folder in it (`bin/test`, `./tests/runtests.py`). */
const SCRIPT_PATH = /^(?:\.\/)?[\w.+-]+(?:\/[\w.+-]+)+$/;
/** Programs that run the script named after their options. */
const INTERPRETER = /^(?:\{python\}|(?:\S*\/)?(?:python[\d.]*|bash|sh|node|perl|ruby))$/;

/**
 * The scripts a command runs by relative path: a program named by path (`./tests/runtests.py …`), or the script
 * an interpreter runs (`{python} bin/test …`, `bash scripts/test.sh`).
 */
export function commandScripts(command: string): string[] {
  const scripts: string[] = [];
  for (const segment of command.split(/[;&|()\n]+/)) {
    const words = segment
      .trim()
      .split(/\s+/)
      .map((word) => word.replace(/^['"]|['"]$/g, ""));
    while (words[0] !== undefined && /^\w+=/.test(words[0])) words.shift(); // VAR=value before the program
    const [program, ...rest] = words;
    if (program === undefined) continue;
    const script = INTERPRETER.test(program) ? rest.find((word) => !word.startsWith("-")) : program;
    if (script && SCRIPT_PATH.test(script) && !script.split("/").includes("..")) {
      scripts.push(script.replace(/^\.\//, ""));
    }
  }
  return scripts;
}

/** Package managers whose `test`/`run` run a script `package.json` names. */
const PACKAGE_MANAGER = /^(?:\S*\/)?(?:npm|yarn|pnpm)$/;

/**
 * `package.json` when the command runs one of its scripts (`npm test`, `yarn run test:unit`, …): its `scripts` say
 * what the test command really is, and its `jest` key configures Jest. A candidate's change to it is undone like any
 * runner's (its dependency changes too; the result says so).
 */
export function packageScripts(command: string): string[] {
  for (const segment of command.split(/[;&|()\n]+/)) {
    const words = segment.trim().split(/\s+/);
    while (words[0] !== undefined && /^\w+=/.test(words[0])) words.shift();
    const [program, verb] = words;
    if (program && PACKAGE_MANAGER.test(program) && verb && ["test", "t", "run", "run-script"].includes(verb))
      return ["package.json"];
  }
  return [];
}

/** Tells, for a path from the checkout's root, whether it is one of the infrastructure's files or in a tool module. */
export interface InfrastructureMatcher {
  isFile(path: string): boolean;
  /** The number of leading path parts that name a tool module (`src/pytest/x.py` → 2), when it is in one. */
  toolModuleDepth(path: string): number | undefined;
}

export function infrastructureMatcher(infrastructure: Infrastructure): InfrastructureMatcher {
  const patterns = infrastructure.files.map(globPattern);
  return {
    isFile: (path) => patterns.some((pattern) => pattern.test(path)),
    toolModuleDepth: (path) => moduleDepth(path, infrastructure.toolModules),
  };
}

/** A compiled or source module file: `name.py`, `name.pyc`, `name.cpython-311-x86_64-linux-gnu.so`. */
const MODULE_FILE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.[^./]+)*\.(?:py|pyc|pyo|pyw|pyd|so)$/;

function moduleDepth(path: string, names: readonly string[]): number | undefined {
  const parts = path.split("/");
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const name = last ? MODULE_FILE.exec(part)?.[1] : part;
    if (name !== undefined && names.includes(name)) return index + 1;
  }
  return undefined;
}

/** A `files` pattern as a regular expression over a whole path. */
export function globPattern(glob: string): RegExp {
  const parts = glob.split("/");
  const source = parts
    .map((part, index) => {
      const last = index === parts.length - 1;
      if (part === "**") return last ? ".+" : "(?:[^/]+/)*";
      const text = part
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replaceAll("*", "[^/]*")
        .replaceAll("?", "[^/]");
      return last ? text : `${text}/`;
    })
    .join("");
  return new RegExp(`^${source}$`);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
