import { resolve } from "node:path";
import { type Command, Option } from "commander";
import type { TtsRunSpec } from "../../bench/spec.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import { InputError } from "../../common/errors.js";
import type { Strategy } from "../../loop/records.js";
import type { Fallback, NoVerdictPolicy } from "../../loop/strategies.js";
import { addRunOptions, executeRun, type RunFlags, runSpecFields } from "../bench-runner.js";
import { addGeneratorOptions, type GeneratorFlags, generatorChoice } from "../generator-options.js";
import { positiveInteger } from "../issue-input.js";

interface BenchTtsOptions extends RunFlags, GeneratorFlags {
  dataset: string;
  split?: string;
  instances?: string[];
  reviewer?: string;
  reviewerBaseUrl?: string;
  strategy: Strategy;
  budget: string;
  /** `--no-verdict <policy>` (commander names a `--no-` option after what follows it). */
  verdict: NoVerdictPolicy;
  fallback: Fallback;
  fromPrevious?: boolean;
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
    .requiredOption(
      "--dataset <file>",
      "SWE-bench or Multi-SWE-bench instances (.jsonl, .json, .parquet) with FAIL_TO_PASS and PASS_TO_PASS",
    )
    .option("--split <name>", "a name for the results (default: the file's name)")
    .option("--instances <ids...>", "only these instance ids")
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option(
      "--reviewer-base-url <url>",
      "the reviewer's base URL (default: --base-url); its key comes from SWE_REVIEW_REVIEWER_API_KEY",
    )
    .addOption(
      new Option("--strategy <strategy>", "iterative revision, reviewer-gated resampling, or best-of-n")
        .choices(["iterative", "gated", "best-of-n"])
        .default("iterative"),
    )
    .option("--budget <k>", "the most samples (generations and revisions) per instance", "5")
    .addOption(
      new Option(
        "--no-verdict <policy>",
        "iterative: a review without a verdict stops, or counts as a rejection",
      )
        .choices(["stop", "reject"])
        .default("stop"),
    )
    .addOption(
      new Option("--fallback <which>", "gated and best-of-n: what to submit when nothing is approved")
        .choices(["last", "most-confident"])
        .default("last"),
    )
    .option("--from-previous", "revise from the previous patch instead of from a clean base")
    .option("--no-verify", "do not run the tests (no resolve rates: only samples and tokens)")
    .option("--verify-timeout <seconds>", "time limit of one test run", "1800")
    .option("--max-steps <n>", "step limit of each agent run");
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
      strategy: options.strategy,
      budget: positiveInteger(options.budget, "--budget") ?? 5,
      noVerdict: options.verdict,
      fallback: options.fallback,
      fromPrevious: options.fromPrevious ?? false,
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
