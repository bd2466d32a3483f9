import { join, resolve } from "node:path";
import type { Command } from "commander";
import { benchItemsOptions, loadBenchItems } from "../../bench/items.js";
import { writeLabelledCandidates } from "../../bench/labelled-candidates.js";
import type { VerifyRunSpec } from "../../bench/spec.js";
import { addDatasetOptions, type DatasetFlags, datasetOfFlags } from "../bench-dataset-options.js";
import { addRunOptions, executeRun, type RunFlags, runSpecFields } from "../bench-runner.js";
import { positiveInteger } from "../option-parsers.js";
import { pathOption } from "../path-options.js";

interface BenchVerifyOptions extends RunFlags, DatasetFlags {
  output?: string;
  timeout: string;
  setupTimeout: string;
}

/** `bench verify`: label the candidates that lack `resolved` by running their tests. */
export function registerBenchVerifyCommand(bench: Command): void {
  const command = addDatasetOptions(
    bench
      .command("verify")
      .description(
        "label every candidate that has no `resolved` by running its instance's tests; writes <run-dir>/candidates.jsonl with the labels, for bench review and bench score",
      ),
    "SWE-bench instances (with FAIL_TO_PASS and PASS_TO_PASS) and --candidates, or a SWE-Review-Bench split",
  )
    .addOption(
      pathOption(
        "--output <file>",
        "where the labelled candidates go (default: <run-dir>/candidates.jsonl)",
        "output-file",
      ),
    )
    .option("--timeout <seconds>", "time limit of one test run", "1800")
    .option("--setup-timeout <seconds>", "time limit of one setup command (e.g. npm install)", "1800");
  addRunOptions(command, "candidates verified").action(async (options: BenchVerifyOptions, cmd: Command) => {
    const spec: VerifyRunSpec = {
      kind: "verify",
      dataset: datasetOfFlags(options),
      timeoutSeconds: positiveInteger(options.timeout, "--timeout") ?? 1800,
      setupTimeoutSeconds: positiveInteger(options.setupTimeout, "--setup-timeout") ?? 1800,
      ...runSpecFields(options),
    };
    await executeRun(spec, options, cmd, async (run) => {
      const items = await loadBenchItems(benchItemsOptions(spec.dataset));
      const output = resolve(options.output ?? join(run.dir, "candidates.jsonl"));
      const counts = writeLabelledCandidates(run, items.items, output);
      return { candidates: output, ...counts };
    });
  });
}
