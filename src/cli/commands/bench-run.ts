import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { executorFor } from "../../bench/execute.js";
import { BenchProgress } from "../../bench/progress.js";
import type { InstanceResult } from "../../bench/records.js";
import { openRun, runBench } from "../../bench/run-bench.js";
import type { ReviewRunSpec, RunSpec } from "../../bench/spec.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import { InputError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import type { Config } from "../../config/schema.js";
import { describeQueue } from "../../queue/connection.js";
import { enqueueRun } from "../../queue/enqueue.js";
import { followRun } from "../../queue/follow.js";
import type { ReviewMode } from "../../review/run-review.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { interruptSignal } from "../interrupt.js";
import { positiveInteger } from "../issue-input.js";

interface BenchReviewOptions {
  dataset: string;
  candidates?: string;
  split?: string;
  instances?: string[];
  reviewer?: string;
  reviewerBaseUrl?: string;
  mode: ReviewMode;
  jobs: string;
  runDir: string;
  repo?: string[];
  attempts: string;
  retryDelay: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local";
  queue?: string;
  wait: boolean;
}

/** `bench review`: review every candidate of a dataset into a resumable run directory. */
export function registerBenchReviewCommand(bench: Command): void {
  bench
    .command("review")
    .description(
      "review every candidate of a dataset, each in a fresh workspace, into a resumable run directory",
    )
    .requiredOption(
      "--dataset <file>",
      "a SWE-Review-Bench split (folder or hub rows), or SWE-bench instances with --candidates",
    )
    .option(
      "--candidates <file>",
      "candidates (JSONL, or SWE-bench predictions) for the instances of --dataset",
    )
    .option("--split <name>", "the split's name (default: the folder's or file's name)")
    .option("--instances <ids...>", "only these instance ids")
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option(
      "--reviewer-base-url <url>",
      "the reviewer's base URL (default: --base-url); its key comes from the environment",
    )
    .addOption(
      new Option("--mode <mode>", "agentic review, or a single-turn baseline")
        .choices(["agentic", "single-turn-diff", "single-turn-context"])
        .default("agentic"),
    )
    .option("-j, --jobs <n>", "reviews at a time", "1")
    .requiredOption("--run-dir <dir>", "where results go; re-running the same command resumes")
    .option("--repo <owner/name=path...>", "use local clones instead of the network")
    .option("--attempts <n>", "tries per item for infrastructure failures", "3")
    .option("--retry-delay <seconds>", "pause before the first retry (it grows with each attempt)", "10")
    .option("--max-steps <n>", "step limit of each review")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local"]))
    .option(
      "--queue <url>",
      "queue the items on Redis (redis://host:port/db) for `swe-review worker`s instead of running them here",
    )
    .option("--no-wait", "with --queue: return after queueing instead of following progress")
    .action(async (options: BenchReviewOptions, command: Command) => {
      const jobs = positiveInteger(options.jobs, "--jobs") ?? 1;
      const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
      const spec: ReviewRunSpec = {
        kind: "review",
        dataset: {
          path: resolve(options.dataset),
          ...(options.candidates ? { candidates: resolve(options.candidates) } : {}),
          ...(options.split ? { split: options.split } : {}),
          ...(options.instances ? { instances: options.instances } : {}),
        },
        mode: options.mode,
        reviewer: {
          ...(options.reviewer ? { name: options.reviewer } : {}),
          ...(options.reviewerBaseUrl ? { baseUrl: options.reviewerBaseUrl } : {}),
        },
        ...(maxSteps ? { maxSteps } : {}),
        repoOverrides: options.repo ?? [],
        attempts: positiveInteger(options.attempts, "--attempts") ?? 3,
        retryDelayMs: Math.round(nonNegativeSeconds(options.retryDelay, "--retry-delay") * 1000),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      };
      const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const interrupt = interruptSignal();
      try {
        if (options.queue) {
          await submitToQueue(spec, resolve(options.runDir), options.queue, options.wait, {
            config,
            logger,
            signal: interrupt.signal,
          });
          return;
        }
        const { run, stopped, results } = await runBench(spec, resolve(options.runDir), {
          concurrency: jobs,
          config,
          logger,
          signal: interrupt.signal,
        });
        await reportRun(resolve(options.runDir), results, stopped, run.manifest.dataset.items);
        process.exitCode = stopped ? 130 : results.some((result) => result.status === "failed") ? 1 : 0;
      } finally {
        interrupt.dispose();
      }
    });
}

/** A one-line account of a run directory's results (the full scores come from `bench score`). */
export function runSummaryLine(
  runDir: string,
  results: readonly InstanceResult[],
  stopped: boolean,
  items = results.length,
) {
  const done = results.filter((result) => result.status === "done");
  const decisions = { approve: 0, request_changes: 0, none: 0 };
  for (const result of done) decisions[result.review?.decision ?? "none"]++;
  return {
    run_dir: runDir,
    items,
    done: done.length,
    failed: results.length - done.length,
    decisions,
    stopped,
  };
}

/** `--queue`: queue the run's items for workers, then (unless --no-wait) follow their results. */
async function submitToQueue(
  spec: RunSpec,
  runDir: string,
  queueUrl: string,
  wait: boolean,
  context: { config: Config; logger: Logger; signal: AbortSignal },
): Promise<void> {
  const executor = await executorFor(spec, { config: context.config, logger: context.logger });
  const run = openRun(runDir, spec, executor);
  const queued = await enqueueRun(run, executor.items.items, {
    queueUrl,
    attempts: spec.attempts,
    ...(spec.retryDelayMs === undefined ? {} : { backoffMs: spec.retryDelayMs }),
  });
  process.stderr.write(
    `[bench] queued ${queued.added} on ${describeQueue(queueUrl)}; ${queued.done} already done, ${queued.pending} already queued` +
      `${queued.failed > 0 ? `, ${queued.failed} in the dead-letter list (swe-review queue retry-failed)` : ""}\n`,
  );
  if (!wait) {
    process.stdout.write(`${JSON.stringify({ run_dir: runDir, ...queued })}\n`);
    return;
  }
  const items = executor.items.items;
  const progress = new BenchProgress(items.length, items.filter((item) => run.result(item.key)).length);
  await followRun(run, items, { progress, signal: context.signal });
  const results = run.results();
  await reportRun(runDir, results, context.signal.aborted, items.length);
  process.exitCode = context.signal.aborted
    ? 130
    : results.some((result) => result.status === "failed")
      ? 1
      : 0;
}

function nonNegativeSeconds(value: string, flag: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new InputError("bad_option", `${flag} ${value}: expected seconds, e.g. 10.`);
  return seconds;
}

/** Scores the run (summary.json, report.html) and prints its one-line account. */
async function reportRun(
  runDir: string,
  results: readonly InstanceResult[],
  stopped: boolean,
  items: number,
): Promise<void> {
  const scored = await writeRunScore({ runDir });
  const line = {
    ...runSummaryLine(runDir, results, stopped, items),
    summary: scored.summaryPath,
    report: scored.reportPath,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
