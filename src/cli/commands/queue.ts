import type { Command } from "commander";
import { drainQueue, queueStatus, retryFailed } from "../../queue/status.js";
import { runWorker } from "../../queue/worker.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { interruptSignal } from "../interrupt.js";
import { positiveInteger } from "../option-parsers.js";
import { QUEUE_URL_HELP } from "../queue-option.js";

/** `swe-review worker`: process benchmark jobs from a queue until stopped. */
export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description(
      "process benchmark jobs from a Redis queue (run directories on storage shared with the submitter); if Redis " +
        "goes away, it keeps reconnecting and says so once a minute",
    )
    .requiredOption("--queue <url>", QUEUE_URL_HELP)
    .option("-j, --jobs <n>", "jobs at a time", "1")
    .option("--lock-seconds <n>", "a killed worker's job is taken over after this long", "60")
    .option("--exit-when-idle", "stop once the queue has nothing left to do")
    .action(
      async (
        options: { queue: string; jobs: string; lockSeconds: string; exitWhenIdle?: boolean },
        command: Command,
      ) => {
        const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
        const concurrency = positiveInteger(options.jobs, "--jobs") ?? 1;
        const lockMs = (positiveInteger(options.lockSeconds, "--lock-seconds") ?? 60) * 1000;
        const interrupt = interruptSignal();
        try {
          const { processed, failed } = await runWorker({
            queueUrl: options.queue,
            concurrency,
            lockMs,
            config,
            logger,
            signal: interrupt.signal,
            ...(options.exitWhenIdle ? { exitWhenIdle: true } : {}),
          });
          process.stdout.write(`${JSON.stringify({ processed, failed })}\n`);
        } finally {
          interrupt.dispose();
        }
      },
    );
}

/** `swe-review queue status|drain|retry-failed`. */
export function registerQueueCommand(program: Command): void {
  const queue = program.command("queue").description("inspect and manage the benchmark queue");
  queue
    .command("status")
    .description("job counts, and the dead-letter list with reasons (JSON)")
    .requiredOption("--queue <url>", QUEUE_URL_HELP)
    .action(async (options: { queue: string }) => {
      process.stdout.write(`${JSON.stringify(await queueStatus(options.queue), null, 2)}\n`);
    });
  queue
    .command("drain")
    .description("remove every job not yet running")
    .requiredOption("--queue <url>", QUEUE_URL_HELP)
    .action(async (options: { queue: string }) => {
      await drainQueue(options.queue);
      process.stdout.write(`${JSON.stringify({ drained: true })}\n`);
    });
  queue
    .command("retry-failed")
    .description("put every job of the dead-letter list back in the queue")
    .requiredOption("--queue <url>", QUEUE_URL_HELP)
    .action(async (options: { queue: string }) => {
      process.stdout.write(`${JSON.stringify({ retried: await retryFailed(options.queue) })}\n`);
    });
}
