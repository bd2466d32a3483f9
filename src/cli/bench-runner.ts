import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { executorFor } from "../bench/execute.js";
import { BenchProgress } from "../bench/progress.js";
import type { InstanceResult } from "../bench/records.js";
import { openRun, runBench } from "../bench/run-bench.js";
import type { RunDir } from "../bench/run-dir-writer.js";
import type { RunSpec } from "../bench/spec.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { describeQueue } from "../queue/connection.js";
import { enqueueRun } from "../queue/enqueue.js";
import { followRun } from "../queue/follow.js";
import { checkQueue } from "../queue/reachability.js";
import { commandContext, type GlobalOptions } from "./context.js";
import { interruptSignal } from "./interrupt.js";
import { nonNegativeSeconds, positiveInteger } from "./option-parsers.js";
import { pathOption, REPO_OVERRIDE } from "./path-options.js";
import { QUEUE_URL_HELP } from "./queue-option.js";

/** The flags every benchmark run shares: where, how many at once, retries, isolation, the queue. */
export interface RunFlags {
  jobs: string;
  runDir: string;
  repo?: string[];
  attempts: string;
  retryDelay: string;
  sandbox?: "bwrap" | "local" | "docker";
  queue?: string;
  wait: boolean;
}

export function addRunOptions(command: Command, what: string): Command {
  return command
    .option("-j, --jobs <n>", `${what} at a time`, "1")
    .addOption(
      pathOption(
        "--run-dir <dir>",
        "where results go; re-running the same command resumes",
        "output-folder",
      ).makeOptionMandatory(),
    )
    .addOption(
      pathOption("--repo <owner/name=path...>", "use local clones instead of the network", REPO_OVERRIDE),
    )
    .option("--attempts <n>", "tries per item for infrastructure failures", "3")
    .option("--retry-delay <seconds>", "pause before the first retry (it grows with each attempt)", "10")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local", "docker"]))
    .option(
      "--queue <url>",
      `queue the items on Redis for \`swe-review worker\`s instead of running them here: ${QUEUE_URL_HELP}`,
    )
    .option("--no-wait", "with --queue: return after queueing instead of following progress");
}

/** The spec fields the run flags decide. */
export function runSpecFields(flags: RunFlags) {
  return {
    repoOverrides: flags.repo ?? [],
    attempts: positiveInteger(flags.attempts, "--attempts") ?? 3,
    retryDelayMs: Math.round(nonNegativeSeconds(flags.retryDelay, "--retry-delay") * 1000),
    ...(flags.sandbox ? { sandbox: flags.sandbox } : {}),
  };
}

/** What a run's caller does once it ends (scores, labelled files) and the one-line account it prints. */
export type AfterRun = (run: RunDir, results: readonly InstanceResult[], stopped: boolean) => Promise<object>;

/**
 * Runs a spec here (a pool of `-j` items) or on the queue, then prints a one-line JSON account on stdout. Exit 0
 * when every item is done, 1 when some failed, 130 when stopped.
 */
export async function executeRun(
  spec: RunSpec,
  flags: RunFlags,
  command: Command,
  after: AfterRun,
): Promise<void> {
  const jobs = positiveInteger(flags.jobs, "--jobs") ?? 1;
  const runDir = resolve(flags.runDir);
  const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
  const interrupt = interruptSignal();
  try {
    let run: RunDir;
    let stopped: boolean;
    if (flags.queue) {
      const followed = await submitToQueue(spec, runDir, flags.queue, flags.wait, {
        config,
        logger,
        signal: interrupt.signal,
      });
      if (!followed) return;
      ({ run, stopped } = followed);
    } else {
      ({ run, stopped } = await runBench(spec, runDir, {
        concurrency: jobs,
        config,
        logger,
        signal: interrupt.signal,
      }));
    }
    const results = run.results();
    const account = await after(run, results, stopped);
    process.stdout.write(
      `${JSON.stringify({ run_dir: runDir, items: run.manifest.dataset.items, ...runAccount(spec.kind, results), stopped, ...account })}\n`,
    );
    process.exitCode = stopped ? 130 : results.some((result) => result.status === "failed") ? 1 : 0;
  } finally {
    interrupt.dispose();
  }
}

/** Counts of a run's results: done and failed, and per kind what the items concluded. */
export function runAccount(kind: RunSpec["kind"], results: readonly InstanceResult[]) {
  const done = results.filter((result) => result.status === "done");
  const account: Record<string, unknown> = { done: done.length, failed: results.length - done.length };
  if (kind === "review") {
    const decisions = { approve: 0, request_changes: 0, none: 0 };
    for (const result of done) decisions[result.review?.decision ?? "none"]++;
    account.decisions = decisions;
  }
  const loops = done.flatMap((result) => (result.loop ? [result.loop] : []));
  if (loops.length > 0) {
    account.approved = loops.filter((loop) => loop.outcome === "approved").length;
    account.resolved = loops.filter((loop) => loop.resolved === true).length;
    account.mean_samples = Number(
      (loops.reduce((sum, loop) => sum + loop.samples_spent, 0) / loops.length).toFixed(2),
    );
  }
  if (kind === "verify") {
    account.resolved = done.filter((result) => result.label === true).length;
    account.unresolved = done.filter((result) => result.label === false).length;
  }
  return account;
}

/** `--queue`: queue the run's items for workers, then (unless --no-wait) follow their results. */
async function submitToQueue(
  spec: RunSpec,
  runDir: string,
  queueUrl: string,
  wait: boolean,
  context: { config: Config; logger: Logger; signal: AbortSignal },
): Promise<{ run: RunDir; stopped: boolean } | undefined> {
  // Before anything is made: an unreachable queue leaves no run directory behind.
  await checkQueue(queueUrl, { signal: context.signal });
  const executor = await executorFor(spec, { config: context.config, logger: context.logger });
  const run = openRun(runDir, spec, executor);
  const queued = await enqueueRun(run, executor.items.items, {
    queueUrl,
    attempts: spec.attempts,
    ...(spec.retryDelayMs === undefined ? {} : { backoffMs: spec.retryDelayMs }),
    signal: context.signal,
  });
  process.stderr.write(
    `[bench] queued ${queued.added} on ${describeQueue(queueUrl)}; ${queued.done} already done, ${queued.pending} already queued` +
      `${queued.failed > 0 ? `, ${queued.failed} in the dead-letter list (swe-review queue retry-failed)` : ""}\n`,
  );
  if (!wait) {
    process.stdout.write(`${JSON.stringify({ run_dir: runDir, ...queued })}\n`);
    return undefined;
  }
  const items = executor.items.items;
  const progress = new BenchProgress(items.length, items.filter((item) => run.result(item.key)).length);
  await followRun(run, items, { progress, signal: context.signal });
  return { run, stopped: context.signal.aborted };
}
