import { type Command, Option } from "commander";
import type { ReviewRunSpec } from "../../bench/spec.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import type { ReviewMode } from "../../review/run-review.js";
import { addDatasetOptions, type DatasetFlags, datasetOfFlags } from "../bench-dataset-options.js";
import { addRunOptions, executeRun, type RunFlags, runSpecFields } from "../bench-runner.js";
import { positiveInteger } from "../option-parsers.js";

interface BenchReviewOptions extends RunFlags, DatasetFlags {
  reviewer?: string;
  reviewerBaseUrl?: string;
  mode: ReviewMode;
  maxSteps?: string;
}

/** `bench review`: review every candidate of a dataset into a resumable run directory. */
export function registerBenchReviewCommand(bench: Command): void {
  const command = addDatasetOptions(
    bench
      .command("review")
      .description(
        "review every candidate of a dataset, each in a fresh workspace, into a resumable run directory",
      ),
    "a SWE-Review-Bench split (folder or hub rows), or SWE-bench instances with --candidates",
  )
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option(
      "--reviewer-base-url <url>",
      "the reviewer's base URL (default: --base-url); its key comes from SWE_REVIEW_REVIEWER_API_KEY",
    )
    .addOption(
      new Option("--mode <mode>", "agentic review, or a single-turn baseline")
        .choices(["agentic", "single-turn-diff", "single-turn-context"])
        .default("agentic"),
    )
    .option("--max-steps <n>", "step limit of each review");
  addRunOptions(command, "reviews").action(async (options: BenchReviewOptions, cmd: Command) => {
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const spec: ReviewRunSpec = {
      kind: "review",
      dataset: datasetOfFlags(options),
      mode: options.mode,
      reviewer: {
        ...(options.reviewer ? { name: options.reviewer } : {}),
        ...(options.reviewerBaseUrl ? { baseUrl: options.reviewerBaseUrl } : {}),
      },
      ...(maxSteps ? { maxSteps } : {}),
      ...runSpecFields(options),
    };
    await executeRun(spec, options, cmd, async (run) => {
      const scored = await writeRunScore({ runDir: run.dir });
      return { summary: scored.summaryPath, report: scored.reportPath };
    });
  });
}
