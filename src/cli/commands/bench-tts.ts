import { resolve } from "node:path";
import type { Command } from "commander";
import type { TtsRunSpec } from "../../bench/spec.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import { InputError } from "../../common/errors.js";
import { addRunOptions, executeRun, type RunFlags, runSpecFields } from "../bench-runner.js";
import { addGeneratorOptions, type GeneratorFlags, generatorChoice } from "../generator-options.js";
import { positiveInteger } from "../option-parsers.js";
import { pathOption } from "../path-options.js";
import { addStrategyOptions, type StrategyFlags, strategyFrom } from "../strategy-options.js";

interface BenchTtsOptions extends RunFlags, GeneratorFlags, StrategyFlags {
  dataset: string;
  split?: string;
  instances?: string[];
  reviewer?: string;
  reviewerBaseUrl?: string;
  verify: boolean;
  verifyTimeout: string;
  maxSteps?: string;
}

/** `bench tts`: a test-time-scaling strategy over every instance of a dataset, every sample verified. */
export function registerBenchTtsCommand(bench: Command): void {
  const command = bench
    .command("tts")
    .description(
      "run the generate → review → revise loop on every instance of a dataset, verifying every sample, into a resumable run directory",
    )
    .addOption(
      pathOption(
        "--dataset <file>",
        "SWE-bench or Multi-SWE-bench instances (.jsonl, .json, .parquet) with FAIL_TO_PASS and PASS_TO_PASS",
        "file-or-folder",
      ).makeOptionMandatory(),
    )
    .option("--split <name>", "a name for the results (default: the file's name)")
    .option("--instances <ids...>", "only these instance ids")
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option(
      "--reviewer-base-url <url>",
      "the reviewer's base URL (default: --base-url); its key comes from SWE_REVIEW_REVIEWER_API_KEY",
    )
    .option("--no-verify", "do not run the tests (no resolve rates: only samples and tokens)")
    .option("--verify-timeout <seconds>", "time limit of one test run", "1800")
    .option("--max-steps <n>", "step limit of each agent run");
  addStrategyOptions(command, "per instance");
  addGeneratorOptions(command);
  addRunOptions(command, "instances").action(async (options: BenchTtsOptions, cmd: Command) => {
    if (options.generatorApiKey) {
      throw new InputError(
        "bad_option",
        "--generator-api-key: a benchmark run stores no keys (workers read their own); set SWE_REVIEW_GENERATOR_API_KEY instead.",
      );
    }
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const { apiKey: _none, ...generator } = generatorChoice(options);
    const spec: TtsRunSpec = {
      kind: "tts",
      dataset: {
        path: resolve(options.dataset),
        ...(options.split ? { split: options.split } : {}),
        ...(options.instances ? { instances: options.instances } : {}),
      },
      ...strategyFrom(options),
      generator: { ...generator, envNames: [...generator.envNames] },
      reviewer: {
        ...(options.reviewer ? { name: options.reviewer } : {}),
        ...(options.reviewerBaseUrl ? { baseUrl: options.reviewerBaseUrl } : {}),
      },
      verify: options.verify,
      verifyTimeoutSeconds: positiveInteger(options.verifyTimeout, "--verify-timeout") ?? 1800,
      ...(maxSteps ? { maxSteps } : {}),
      ...runSpecFields(options),
    };
    await executeRun(spec, options, cmd, async (run) => {
      const scored = await writeRunScore({ runDir: run.dir });
      return { summary: scored.summaryPath, report: scored.reportPath };
    });
  });
}
