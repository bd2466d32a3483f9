import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { reviewSpecOf, reviseOverrides, reviseRun } from "../../bench/revise-run.js";
import { RunDir } from "../../bench/run-dir.js";
import { writeRunScore } from "../../bench/write-run-score.js";
import { workspaceEnvironmentFrom } from "../../runtime/agent-environment.js";
import { generatorFrom } from "../../runtime/generator.js";
import { roleKey } from "../../runtime/role-model.js";
import { verifierFrom } from "../../runtime/verifier.js";
import { nonNegativeSeconds } from "../bench-runner.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { addGeneratorOptions, type GeneratorFlags, generatorChoice } from "../generator-options.js";
import { interruptSignal } from "../interrupt.js";
import { positiveInteger } from "../issue-input.js";

interface BenchReviseOptions extends GeneratorFlags {
  runDir: string;
  jobs: string;
  repo?: string[];
  attempts: string;
  retryDelay: string;
  verifyTimeout: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local";
}

/** `bench revise`: the RRR protocol over a review run. */
export function registerBenchReviseCommand(bench: Command): void {
  const command = bench
    .command("revise")
    .description(
      "resolve rate after revision (RRR): revise every rejected candidate of a bench review run once with its review's feedback, verify it, and re-score; resumable",
    )
    .requiredOption("--run-dir <dir>", "a run directory made by swe-review bench review")
    .option("-j, --jobs <n>", "revisions at a time", "1")
    .option("--repo <owner/name=path...>", "local clones (over those the review run was given)")
    .option("--attempts <n>", "tries per revision for infrastructure failures", "3")
    .option("--retry-delay <seconds>", "pause before the first retry (it grows with each attempt)", "10")
    .option("--verify-timeout <seconds>", "time limit of one test run", "1800")
    .option("--max-steps <n>", "step limit of each revision")
    .addOption(
      new Option("--sandbox <kind>", "isolation (default: the review run's)").choices(["bwrap", "local"]),
    );
  addGeneratorOptions(command).action(async (options: BenchReviseOptions, cmd: Command) => {
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const run = RunDir.existing(resolve(options.runDir));
    const spec = reviewSpecOf(run);
    const sandbox = options.sandbox ?? spec.sandbox;
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>(), {
      ...(maxSteps ? { agent: { maxSteps } } : {}),
      ...(sandbox ? { sandbox: { kind: sandbox } } : {}),
    });
    const overrides = reviseOverrides(spec, options.repo);
    const interrupt = interruptSignal();
    try {
      const choice = generatorChoice(options);
      const summary = await reviseRun(run, {
        environment: {
          generator: generatorFrom(
            { ...choice, ...(choice.apiKey ? {} : roleKey("GENERATOR")) },
            config,
            logger,
          ),
          generation: workspaceEnvironmentFrom(config, logger, [options.generatorApiKey]),
          verifier: verifierFrom(config, {
            overrides,
            logger,
            timeoutMs: (positiveInteger(options.verifyTimeout, "--verify-timeout") ?? 1800) * 1000,
          }),
          attempts: positiveInteger(options.attempts, "--attempts") ?? 3,
          retryDelayMs: Math.round(nonNegativeSeconds(options.retryDelay, "--retry-delay") * 1000),
          logger,
        },
        overrides,
        concurrency: positiveInteger(options.jobs, "--jobs") ?? 1,
        signal: interrupt.signal,
        logger,
      });
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
