import { z } from "zod";
import { InputError } from "../../common/errors.js";
import { CONDA_ACTIVATE } from "../../containers/swe-bench-conda.js";
import { LOG_MARKERS } from "../grading/harness-log.js";
import type { ParserName } from "../parsers/registry.js";
import { sweBenchModifiedFiles, sweBenchTestDirectives } from "./directives.js";
import { sweBenchRunSpec } from "./run-specs.js";

/** Where SWE-bench's images keep the checkout, and the conda environment its tests run in. */
export const TESTBED = "/testbed";
/** SWE-bench's heredoc delimiter around the test patch in the evaluation script. */
const HEREDOC = "EOF_114329324912";

/** The fields of a dataset row the evaluation script is made from. */
export const SweBenchEvalRowSchema = z.object({
  instance_id: z.string().min(1),
  repo: z.string().min(1),
  version: z.string().min(1).optional(),
  base_commit: z.string().min(1),
  test_patch: z.string(),
  /** A script the dataset itself carries: run as is, in place of the one made here. */
  eval_script: z.string().min(1).optional(),
});
export type SweBenchEvalRow = z.infer<typeof SweBenchEvalRowSchema>;

/**
 * SWE-bench's evaluation script for one instance, cut into the steps our harness runs. The candidate is applied
 * before any of them (SWE-bench applies it, then runs the script).
 */
export interface SweBenchEvalParts {
  /** Conda's activation of the `testbed` environment; every step's shell runs these first. */
  activate: string[];
  /**
   * The spec's `eval_commands` then its `install`, in SWE-bench's order: after the candidate, before the test files
   * are reset. The script runs them under `set -uxo pipefail` without `-e`: a failure is logged and the run goes on.
   */
  beforeTests: string[];
  /** The `export NAME=value` lines among `eval_commands`: they must also precede the test command in its shell. */
  exports: string[];
  /** `test_cmd` and the test directives, space-separated. */
  testCommand: string;
  /** The test directives (`get_test_directives`). */
  testFiles: string[];
  /** The files reset to the base commit before and after the test patch (`get_modified_files`). */
  resetFiles: string[];
  /** The parser SWE-bench grades the repository's logs with, by our name. */
  parser: ParserName;
}

/** The steps of SWE-bench's evaluation script for `row`; an `InputError` when SWE-bench has no spec for it. */
export function sweBenchEvalParts(row: SweBenchEvalRow): SweBenchEvalParts {
  const spec = sweBenchRunSpec(row.repo, row.version);
  if (!spec) {
    throw new InputError(
      "no_swe_bench_spec",
      `SWE-bench has no run spec for ${row.repo} at version ${row.version ?? "(none)"} (${row.instance_id}). ` +
        "Check the row's repo and version, or give the row its own eval_script.",
    );
  }
  const testFiles = sweBenchTestDirectives(row.test_patch, spec.directives);
  const evalCommands = spec.eval_commands ?? [];
  return {
    activate: [...CONDA_ACTIVATE],
    beforeTests: [...evalCommands, ...(spec.install ? [spec.install] : [])],
    exports: evalCommands.filter((command) => command.startsWith("export ")),
    testCommand: [spec.test_cmd, ...testFiles].join(" "),
    testFiles,
    resetFiles: sweBenchModifiedFiles(row.test_patch, `the test_patch of ${row.instance_id}`),
    parser: spec.parser,
  };
}

/**
 * The evaluation script SWE-bench runs in an instance's container (`make_eval_script_list_py` under the
 * `#!/bin/bash` / `set -uxo pipefail` header), line for line; the row's own `eval_script` when it has one.
 */
export function sweBenchEvalScript(row: SweBenchEvalRow): string {
  if (row.eval_script) return row.eval_script;
  const parts = sweBenchEvalParts(row);
  const spec = sweBenchRunSpec(row.repo, row.version);
  const reset = `git checkout ${row.base_commit} ${parts.resetFiles.join(" ")}`;
  const lines = [
    "#!/bin/bash",
    "set -uxo pipefail",
    ...parts.activate,
    `cd ${TESTBED}`,
    ...(spec?.eval_commands ?? []),
    `git config --global --add safe.directory ${TESTBED}`,
    `cd ${TESTBED}`,
    "git status",
    "git show",
    `git -c core.fileMode=false diff ${row.base_commit}`,
    ...parts.activate,
    ...(spec?.install ? [spec.install] : []),
    reset,
    `git apply -v - <<'${HEREDOC}'\n${row.test_patch}\n${HEREDOC}`,
    `: '${LOG_MARKERS.startTestOutput}'`,
    parts.testCommand,
    `: '${LOG_MARKERS.endTestOutput}'`,
    reset,
  ];
  return `${lines.join("\n")}\n`;
}
