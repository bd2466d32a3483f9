import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { type ReviseRunSummary, reviewSpecOf, reviseRun } from "../../bench/revise-run.js";
import { keepReviseSpec, type ReviseSpec, reviseEnvironmentFrom } from "../../bench/revise-spec.js";
import { RunDir } from "../../bench/run-dir-writer.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import { InputError } from "../../common/errors.js";
import { checkQueue } from "../../queue/reachability.js";
import { submitRevisions } from "../../queue/submit-revisions.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { addGeneratorOptions, type GeneratorFlags, generatorChoice } from "../generator-options.js";
import { interruptSignal } from "../interrupt.js";
import { nonNegativeSeconds, positiveInteger } from "../option-parsers.js";
import { pathOption, REPO_OVERRIDE } from "../path-options.js";
import { QUEUE_URL_HELP } from "../queue-option.js";

interface BenchReviseOptions extends GeneratorFlags {
  runDir: string;
  jobs: string;
  repo?: string[];
  attempts: string;
  retryDelay: string;
  verifyTimeout: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local" | "docker";
  queue?: string;
  wait: boolean;
}

/** `bench revise`: the RRR protocol over a review run. */
export function registerBenchReviseCommand(bench: Command): void {
  const command = bench
    .command("revise")
    .description(
      "resolve rate after revision (RRR): revise every rejected candidate of a bench review run once with its review's feedback, verify it, and re-score; resumable",
    )
    .addOption(
      pathOption(
        "--run-dir <dir>",
        "a run directory made by swe-review bench review",
        "folder",
      ).makeOptionMandatory(),
    )
    .option("-j, --jobs <n>", "revisions at a time", "1")
    .addOption(
      pathOption(
        "--repo <owner/name=path...>",
        "local clones (over those the review run was given)",
        REPO_OVERRIDE,
      ),
    )
    .option("--attempts <n>", "tries per revision for infrastructure failures", "3")
    .option("--retry-delay <seconds>", "pause before the first retry (it grows with each attempt)", "10")
    .option("--verify-timeout <seconds>", "time limit of one test run", "1800")
    .option("--max-steps <n>", "step limit of each revision")
    .addOption(
      new Option("--sandbox <kind>", "isolation (default: the review run's)").choices([
        "bwrap",
        "local",
        "docker",
      ]),
    )
    .option(
      "--queue <url>",
      `queue the revisions on Redis for \`swe-review worker\`s instead of running them here: ${QUEUE_URL_HELP}`,
    )
    .option("--no-wait", "with --queue: return after queueing instead of following progress");
  addGeneratorOptions(command).action(async (options: BenchReviseOptions, cmd: Command) => {
    if (options.queue && options.generatorApiKey) {
      throw new InputError(
        "bad_option",
        "--generator-api-key: queued revisions store no keys (workers read their own); set SWE_REVIEW_GENERATOR_API_KEY instead.",
      );
    }
    const run = RunDir.existing(resolve(options.runDir));
    const review = reviewSpecOf(run);
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const { apiKey, ...generator } = generatorChoice(options);
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>());
    // The configured model by name when none is given: queue workers with other configurations use the same one.
    const named = generator.generator ?? (config.model.name ? `model:${config.model.name}` : undefined);
    const spec: ReviseSpec = {
      generator: { ...generator, ...(named ? { generator: named } : {}), envNames: [...generator.envNames] },
      ...(maxSteps ? { maxSteps } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      verifyTimeoutSeconds: positiveInteger(options.verifyTimeout, "--verify-timeout") ?? 1800,
      repoOverrides: options.repo ?? [],
      attempts: positiveInteger(options.attempts, "--attempts") ?? 3,
      retryDelayMs: Math.round(nonNegativeSeconds(options.retryDelay, "--retry-delay") * 1000),
    };
    // Built here in either case: bad generator settings are an error now, not in every worker.
    const { environment, overrides } = reviseEnvironmentFrom(spec, review, config, logger, apiKey);
    const interrupt = interruptSignal();
    try {
      // Before revise.json is kept: an unreachable queue changes nothing in the run.
      if (options.queue) await checkQueue(options.queue, { signal: interrupt.signal });
      keepReviseSpec(run, spec);
      let summary: ReviseRunSummary;
      if (options.queue) {
        const submitted = await submitRevisions(run, spec, {
          queueUrl: options.queue,
          wait: options.wait,
          signal: interrupt.signal,
        });
        if (!submitted.summary) {
          process.stdout.write(`${JSON.stringify({ run_dir: run.dir, ...submitted.queued })}\n`);
          return;
        }
        summary = submitted.summary;
      } else {
        summary = await reviseRun(run, {
          environment,
          overrides,
          concurrency: positiveInteger(options.jobs, "--jobs") ?? 1,
          signal: interrupt.signal,
          logger,
        });
      }
      const scored = await writeRunScore({ runDir: run.dir });
      const { RRR, baseline_RR, delta } = scored.summary;
      process.stdout.write(
        `${JSON.stringify({
          run_dir: run.dir,
          ...summary,
          ...(RRR === undefined ? {} : { RRR, baseline_RR, delta }),
          summary: scored.summaryPath,
          report: scored.reportPath,
        })}\n`,
      );
      process.exitCode = summary.stopped ? 130 : summary.failed > 0 || summary.unverified > 0 ? 1 : 0;
    } finally {
      interrupt.dispose();
    }
  });
}
