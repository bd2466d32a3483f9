import { z } from "zod";
import { ParserNameSchema } from "../parsers/registry.js";

/**
 * What SWE-bench's evaluation script runs for one repository at some of its versions (SWE-bench's
 * `MAP_REPO_VERSION_TO_SPECS`, `swebench/harness/constants/python.py`, release 4.1.0, the last with that file; 3.0.17
 * and 4.0.4 agree on every field kept here). Field names are SWE-bench's. Only what the evaluation script uses is
 * kept: the image-building fields (`python`, `packages`, `pip_packages`, `pre_install`) are baked into SWE-bench's
 * prebuilt images and never run at evaluation time.
 */
export const SweBenchRunSpecSchema = z
  .object({
    /** The instance `version`s this spec covers, compared as exact strings (as SWE-bench looks them up). */
    versions: z.array(z.string().min(1)).min(1),
    /** The test command; the instance's test directives are appended, space-separated. */
    test_cmd: z.string().min(1),
    /** The reinstall step the evaluation script re-runs after the candidate is applied. */
    install: z.string().min(1).optional(),
    /** Commands the evaluation script runs first, right after `cd /testbed` (exports, locale generation). */
    eval_commands: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type SweBenchRunSpec = z.infer<typeof SweBenchRunSpecSchema>;

/** One repository: the parser SWE-bench grades its logs with (by our name) and its specs by version. */
export const SweBenchRepoSpecsSchema = z
  .object({
    parser: ParserNameSchema,
    /** How SWE-bench names tests to run: file paths, or (Django) dotted modules without `tests/`. */
    directives: z.enum(["paths", "django-modules"]),
    specs: z.array(SweBenchRunSpecSchema).min(1),
  })
  .strict()
  .superRefine((repo, ctx) => {
    const seen = new Set<string>();
    for (const version of repo.specs.flatMap((spec) => spec.versions)) {
      if (seen.has(version)) ctx.addIssue({ code: "custom", message: `version ${version} is listed twice` });
      seen.add(version);
    }
  });
export type SweBenchRepoSpecs = z.infer<typeof SweBenchRepoSpecsSchema>;

// SWE-bench defines TEST_PYTEST twice; the second definition, `pytest -rA`, is the one its specs use.
const PYTEST = "pytest -rA";
const PIP_EDITABLE = "python -m pip install -e .";
const DJANGO = "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1";
const DJANGO_LOCALE_EXPORTS = [
  "export LANG=en_US.UTF-8",
  "export LC_ALL=en_US.UTF-8",
  "export PYTHONIOENCODING=utf8",
  "export LANGUAGE=en_US:en",
];

/** Every version of a repository under one spec. */
const one = (versions: string[], install: string, test_cmd = PYTEST) => [{ versions, install, test_cmd }];

/**
 * SWE-bench's run facts for its 18 Python repositories (the 12 of SWE-bench Verified and the 6 more of SWE-bench
 * and Lite), keyed by `owner/name`.
 */
export const SWE_BENCH_RUN_SPECS: Readonly<Record<string, SweBenchRepoSpecs>> = z
  .record(z.string(), SweBenchRepoSpecsSchema)
  .parse({
    "astropy/astropy": {
      parser: "pytest",
      directives: "paths",
      specs: [
        {
          versions: ["3.0", "3.1", "3.2", "4.1", "4.2", "4.3", "5.0", "5.1", "5.2", "v5.3"],
          install: "python -m pip install -e .[test] --verbose",
          test_cmd: PYTEST,
        },
        {
          versions: ["0.1", "0.2", "0.3", "0.4", "1.1", "1.2", "1.3"],
          install: "python -m pip install -e .[test] --verbose",
          test_cmd: "pytest -rA -vv -o console_output_style=classic --tb=no",
        },
      ],
    },
    "django/django": {
      parser: "django",
      directives: "django-modules",
      specs: [
        {
          versions: ["1.7", "1.8", "1.10", "1.11", "2.0", "2.1", "2.2"],
          install: "python setup.py install",
          eval_commands: DJANGO_LOCALE_EXPORTS,
          test_cmd: DJANGO,
        },
        {
          versions: ["1.9"],
          install: "python setup.py install",
          eval_commands: DJANGO_LOCALE_EXPORTS,
          test_cmd: "./tests/runtests.py --verbosity 2",
        },
        { versions: ["1.4", "1.5", "1.6"], install: "python setup.py install", test_cmd: DJANGO },
        {
          versions: ["3.0", "3.1", "3.2"],
          install: PIP_EDITABLE,
          eval_commands: [
            "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen",
            "export LANG=en_US.UTF-8",
            "export LANGUAGE=en_US:en",
            "export LC_ALL=en_US.UTF-8",
          ],
          test_cmd: DJANGO,
        },
        { versions: ["4.0", "4.1", "4.2", "5.0", "5.1", "5.2"], install: PIP_EDITABLE, test_cmd: DJANGO },
      ],
    },
    "marshmallow-code/marshmallow": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        ["2.18", "2.19", "2.20", "3.0", "3.1", "3.10", "3.11", "3.12", "3.13", "3.15", "3.16", "3.19"].concat(
          ["3.2", "3.4", "3.8", "3.9"],
        ),
        "python -m pip install -e '.[dev]'",
      ),
    },
    "matplotlib/matplotlib": {
      parser: "pytest-matplotlib",
      directives: "paths",
      specs: [
        {
          versions: ["3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"],
          install: PIP_EDITABLE,
          test_cmd: PYTEST,
        },
        {
          versions: ["3.8", "3.9"],
          install: 'python -m pip install --no-build-isolation -e ".[dev]"',
          test_cmd: PYTEST,
        },
        {
          versions: ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "2.0", "2.1", "2.2"],
          install: "python setup.py build; python setup.py install",
          test_cmd: PYTEST,
        },
      ],
    },
    "mwaskom/seaborn": {
      parser: "pytest",
      directives: "paths",
      specs: [
        { versions: ["0.11"], install: PIP_EDITABLE, test_cmd: "pytest --no-header -rA" },
        {
          versions: ["0.12", "0.13", "0.14"],
          install: "python -m pip install -e .[dev]",
          test_cmd: "pytest --no-header -rA",
        },
      ],
    },
    "pallets/flask": {
      parser: "pytest",
      directives: "paths",
      specs: one(["2.0", "2.1", "2.2", "2.3", "3.0", "3.1"], PIP_EDITABLE),
    },
    "psf/requests": {
      parser: "pytest-short-paths",
      directives: "paths",
      specs: one(
        [
          "0.7",
          "0.8",
          "0.9",
          "0.11",
          "0.13",
          "0.14",
          "1.1",
          "1.2",
          "2.0",
          "2.2",
          "2.3",
          "2.4",
          "2.5",
          "2.7",
        ].concat([
          "2.8",
          "2.9",
          "2.10",
          "2.11",
          "2.12",
          "2.17",
          "2.18",
          "2.19",
          "2.22",
          "2.25",
          "2.26",
          "2.27",
          "2.31",
          "3.0",
        ]),
        // Not editable: requests is installed as a copy.
        "python -m pip install .",
      ),
    },
    "pvlib/pvlib-python": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"],
        "python -m pip install -e .[all]",
      ),
    },
    "pydata/xarray": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        ["0.12", "0.18", "0.19", "0.20", "2022.03", "2022.06", "2022.09", "2023.07", "2024.05"],
        PIP_EDITABLE,
      ),
    },
    "pydicom/pydicom": {
      parser: "pytest-short-paths",
      directives: "paths",
      specs: one(["1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.1", "2.2", "2.3", "2.4", "3.0"], PIP_EDITABLE),
    },
    "pylint-dev/astroid": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        ["2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.12", "2.13", "2.14", "2.15", "2.16", "3.0"],
        PIP_EDITABLE,
      ),
    },
    "pylint-dev/pylint": {
      parser: "pytest-short-paths",
      directives: "paths",
      specs: one(
        [
          "2.8",
          "2.9",
          "2.10",
          "2.11",
          "2.13",
          "2.14",
          "2.15",
          "2.16",
          "2.17",
          "3.0",
          "3.1",
          "3.2",
          "3.3",
          "4.0",
        ],
        PIP_EDITABLE,
      ),
    },
    "pytest-dev/pytest": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        [
          "4.4",
          "4.5",
          "4.6",
          "5.0",
          "5.1",
          "5.2",
          "5.3",
          "5.4",
          "6.0",
          "6.2",
          "6.3",
          "7.0",
          "7.1",
          "7.2",
        ].concat(["7.4", "8.0", "8.1", "8.2", "8.3", "8.4"]),
        PIP_EDITABLE,
      ),
    },
    "pyvista/pyvista": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        Array.from({ length: 24 }, (_, i) => `0.${20 + i}`),
        PIP_EDITABLE,
      ),
    },
    "scikit-learn/scikit-learn": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        ["0.20", "0.21", "0.22", "1.3", "1.4", "1.5", "1.6"],
        "python -m pip install -v --no-use-pep517 --no-build-isolation -e .",
      ),
    },
    "sphinx-doc/sphinx": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        [
          "1.5",
          "1.6",
          "1.7",
          "1.8",
          "2.0",
          "2.1",
          "2.2",
          "2.3",
          "2.4",
          "3.0",
          "3.1",
          "3.2",
          "3.3",
          "3.4",
          "3.5",
        ].concat(
          [
            "4.0",
            "4.1",
            "4.2",
            "4.3",
            "4.4",
            "4.5",
            "5.0",
            "5.1",
            "5.2",
            "5.3",
            "6.0",
            "6.2",
            "7.0",
            "7.1",
            "7.2",
          ],
          ["7.3", "7.4", "8.0", "8.1"],
        ),
        "python -m pip install -e .[test]",
        // tox's `-v --` hands the directives on to pytest; SWE-bench's pre_install adds `-rA` to tox.ini's command.
        "tox --current-env -epy39 -v --",
      ),
    },
    "sqlfluff/sqlfluff": {
      parser: "pytest",
      directives: "paths",
      specs: one(
        [
          "0.4",
          "0.5",
          "0.6",
          "0.8",
          "0.9",
          "0.10",
          "0.11",
          "0.12",
          "0.13",
          "1.0",
          "1.1",
          "1.2",
          "1.3",
          "1.4",
        ].concat(["2.0", "2.1", "2.2"]),
        PIP_EDITABLE,
      ),
    },
    "sympy/sympy": {
      parser: "sympy",
      directives: "paths",
      specs: one(
        [
          "0.7",
          "1.0",
          "1.1",
          "1.2",
          "1.4",
          "1.5",
          "1.6",
          "1.7",
          "1.8",
          "1.9",
          "1.10",
          "1.11",
          "1.12",
          "1.13",
          "1.14",
        ],
        PIP_EDITABLE,
        "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose",
      ),
    },
  });

/** The spec SWE-bench uses for `repo` at `version`; undefined when SWE-bench has none. */
export function sweBenchRunSpec(
  repo: string,
  version: string | undefined,
): (SweBenchRunSpec & Omit<SweBenchRepoSpecs, "specs">) | undefined {
  const entry = SWE_BENCH_RUN_SPECS[repo];
  if (!entry || version === undefined) return undefined;
  const spec = entry.specs.find((candidate) => candidate.versions.includes(version));
  return spec && { ...spec, parser: entry.parser, directives: entry.directives };
}
