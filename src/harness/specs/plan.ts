import { posix } from "node:path";
import { InputError } from "../../common/errors.js";
import { shellQuote } from "../../common/shell-quote.js";
import { testDirectives } from "./directives.js";
import { SHIMS } from "./shims.js";
import { compareVersions, type TestSpec } from "./test-spec.js";

/** Everything the executor needs to run one instance's tests, with every placeholder filled in. */
export interface TestRunPlan {
  /** Run once in a fresh checkout, before any patch. */
  setup: string[];
  /** Run in the checkout after the patches; its output is the log to grade. */
  command: string;
  env: Record<string, string>;
  /** Files to write before running (shims), at absolute paths outside the checkout. */
  files: { path: string; content: string }[];
  /** The test directives `{test_files}` became (empty when the command has no `{test_files}`). */
  testFiles: string[];
  /**
   * Run in order after the candidate is applied (and the infrastructure it touched put back), before the test
   * files are reset: SWE-bench's `eval_commands` and reinstall step. Each runs in its own shell with `env`; what
   * they print goes to the harness log and is never graded; a failing one is logged and the run goes on (SWE-bench's
   * script has no `set -e`). Absent or empty: nothing runs.
   */
  beforeTests?: string[];
  /**
   * A whole evaluation script a dataset row carries, run with bash in place of the reset, the test patch and
   * `command` (it does those itself); what it prints between SWE-bench's start and end markers is graded.
   */
  evalScript?: string;
}

/** What planning a spec for one instance needs to know about the machine. */
export interface PlanOptions {
  /** The interpreter's `major.minor`, when the executor has asked it; unknown means shims are installed. */
  pythonVersion?: string;
  /** An absolute folder outside the checkout for shim files. */
  supportDir: string;
}

/** Fills in a spec for one instance: the test command with its test files, the environment and the shims. */
export function planTestRun(
  spec: TestSpec,
  instance: { instance_id: string; test_patch: string },
  options: PlanOptions,
): TestRunPlan {
  const env = { ...spec.env };
  const files: TestRunPlan["files"] = [];
  for (const shim of spec.shims) {
    if (options.pythonVersion && compareVersions(options.pythonVersion, shim.minPython) < 0) continue;
    const { file, content, pathVariable } = SHIMS[shim.name];
    files.push({ path: posix.join(options.supportDir, file), content });
    env[pathVariable] = [options.supportDir, env[pathVariable]].filter(Boolean).join(":");
  }
  const wantsFiles = spec.command.includes("{test_files}");
  const testFiles = wantsFiles
    ? testDirectives(instance.test_patch, spec.testFiles, `the test_patch of ${instance.instance_id}`)
    : [];
  if (wantsFiles && testFiles.length === 0) {
    throw new InputError(
      "no_test_files",
      `The test_patch of ${instance.instance_id} touches no test files, so \`${spec.command}\` would run the ` +
        "whole suite. Check the instance's test_patch, or give the repository a command without {test_files}.",
    );
  }
  const command = spec.command
    .replaceAll("{python}", shellQuote(spec.python))
    .replaceAll("{test_files}", testFiles.map(shellQuote).join(" "));
  return {
    setup: [...spec.setup],
    command,
    env,
    files,
    testFiles,
    ...(spec.beforeTests?.length ? { beforeTests: [...spec.beforeTests] } : {}),
    ...(spec.evalScript ? { evalScript: spec.evalScript } : {}),
  };
}
