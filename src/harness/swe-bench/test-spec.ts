import { SWE_BENCH_REPOS } from "../specs/swe-bench-repos.js";
import { type TestSpec, TestSpecSchema } from "../specs/test-spec.js";
import { type SweBenchEvalRow, sweBenchEvalParts } from "./eval-script.js";
import { SWE_BENCH_RUN_SPECS, sweBenchRunSpec } from "./run-specs.js";

/**
 * A test spec for exactly one instance, run in SWE-bench's prebuilt image of it (the Docker backend): the checkout
 * is `/testbed` with its environment installed, so there is no setup, no environment and no shim; `python` is the
 * activated conda environment's. Each step's shell activates the environment first:
 * - `beforeTests`: one step, SWE-bench's `eval_commands` then `install`, in one shell as its script runs them;
 * - `command`: the `export` lines of `eval_commands` (they reach the tests in SWE-bench's single shell), then the
 *   test command with the instance's test directives written out (not `{test_files}`: SWE-bench's Django directives
 *   differ from `specs/directives.ts`').
 * A row with its own `eval_script` gets a spec that runs that script instead (`evalScript`; `command` is the script
 * too). Undefined when SWE-bench has no spec for the row's repository and version and the row has no script.
 */
export function sweBenchTestSpec(row: SweBenchEvalRow): TestSpec | undefined {
  const base = { repo: row.repo, setup: [], env: {}, python: "python" };
  if (row.eval_script) {
    const parser = SWE_BENCH_RUN_SPECS[row.repo]?.parser ?? SWE_BENCH_REPOS[row.repo]?.parser;
    if (!parser) return undefined;
    return TestSpecSchema.parse({ ...base, command: row.eval_script, parser, evalScript: row.eval_script });
  }
  if (!sweBenchRunSpec(row.repo, row.version)) return undefined;
  const parts = sweBenchEvalParts(row);
  return TestSpecSchema.parse({
    ...base,
    command: [...parts.activate, ...parts.exports, parts.testCommand].join("\n"),
    parser: parts.parser,
    beforeTests: parts.beforeTests.length > 0 ? [[...parts.activate, ...parts.beforeTests].join("\n")] : [],
  });
}
