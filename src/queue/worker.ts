import { type Job, Queue, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { executorFor } from "../bench/execute.js";
import type { BenchExecutor } from "../bench/executors/bench-executor.js";
import { describeResult } from "../bench/progress.js";
import { RunDir } from "../bench/run-dir-writer.js";
import { type RunSpec, RunSpecReadSchema } from "../bench/spec.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { formatSeconds } from "../review/render.js";
import { describeQueue, QUEUE_NAME, queueHandleOptions, redisOptions } from "./connection.js";
import { ConnectionWatch } from "./connection-watch.js";
import { type BenchJob, BenchJobSchema } from "./job.js";
import { checkQueue, isConnectionError } from "./reachability.js";
import { reviseJobRunner } from "./revise-job.js";

export interface WorkerOptions {
  queueUrl: string;
  concurrency: number;
  config?: Config;
  logger: Logger;
  /** How long a job stays claimed without a heartbeat (a killed worker's job is taken over after this). */
  lockMs?: number;
  /** Stop once the queue has nothing waiting, delayed or running. */
  exitWhenIdle?: boolean;
  signal?: AbortSignal;
  /** Where one line per finished job goes. */
  report?: (line: string) => void;
  /** Builds a run's executor (default: from its spec and this process's configuration). */
  executorFor?: (spec: RunSpec) => Promise<BenchExecutor>;
}

/**
 * A queue worker: takes benchmark jobs, rebuilds each run's work from its run directory (shared storage), and does
 * the item exactly as the in-process pool does. Infrastructure failures are retried by the queue with backoff; the
 * last failure leaves the job in the failed set (the dead-letter list) with its reason. A stop returns running jobs
 * to the queue without spending an attempt.
 *
 * Redis must answer when the worker starts (`QueueUnreachableError` otherwise). If it goes away later, the worker
 * keeps reconnecting, as a daemon should, and says so in one line, then a reminder a minute, then when it is back.
 */
export async function runWorker(options: WorkerOptions): Promise<{ processed: number; failed: number }> {
  await checkQueue(options.queueUrl, options.signal ? { signal: options.signal } : {});
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  report(`[worker] ${describeQueue(options.queueUrl)}, ${options.concurrency} at a time`);
  const runs = new Map<string, Promise<{ run: RunDir; executor: BenchExecutor }>>();
  const load = (runDir: string) => {
    let loaded = runs.get(runDir);
    if (!loaded) {
      loaded = (async () => {
        const run = RunDir.existing(runDir);
        const spec = RunSpecReadSchema.parse(run.manifest.settings.spec);
        // The queue retries items; each attempt is a single try.
        const single = { ...spec, attempts: 1 };
        const executor = options.executorFor
          ? await options.executorFor(single)
          : await executorFor(single, {
              ...(options.config ? { config: options.config } : {}),
              logger: options.logger,
            });
        return { run, executor };
      })();
      loaded.catch(() => runs.delete(runDir));
      runs.set(runDir, loaded);
    }
    return loaded;
  };
  let processed = 0;
  let failed = 0;

  const revise = reviseJobRunner({
    ...(options.config ? { config: options.config } : {}),
    logger: options.logger,
  });
  const processRevision = async (
    job: Job<BenchJob>,
    data: BenchJob,
    token?: string,
    signal?: AbortSignal,
  ) => {
    const started = Date.now();
    const outcome = await revise(data.runDir, data.key, signal).catch((error: unknown) => {
      // Bad input (no revise.json, a changed dataset, a candidate not rejected) does not get better by retrying.
      throw error instanceof InputError ? new UnrecoverableError(error.message) : error;
    });
    if (outcome.kind === "aborted") {
      await job.moveToWait(token);
      throw new WaitingError(); // stopped: back to the queue, no attempt spent
    }
    report(
      `[worker] ${data.key} (revise): ${outcome.line} (${formatSeconds((Date.now() - started) / 1000)})`,
    );
    return { revised: outcome.line };
  };

  const processor = async (job: Job<BenchJob>, token?: string, jobSignal?: AbortSignal) => {
    const data = BenchJobSchema.parse(job.data);
    if (data.task === "revise")
      return processRevision(job, data, token, anySignal([options.signal, jobSignal]));
    const { run, executor } = await load(data.runDir);
    if (run.isDone(data.key)) return { skipped: "already done" };
    const item = executor.items.items.find((candidate) => candidate.key === data.key);
    if (!item) throw new UnrecoverableError(`${data.runDir} has no item ${data.key}`);
    const signal = anySignal([options.signal, jobSignal]);
    const result = await executor.execute(item, run.itemDir(item.key), signal);
    const attempt = job.attemptsMade + 1;
    if (!result) {
      await job.moveToWait(token);
      throw new WaitingError(); // stopped: back to the queue, no attempt spent
    }
    if (result.status === "failed") {
      if (attempt >= (job.opts.attempts ?? 1)) run.writeResult({ ...result, attempts: attempt });
      throw new Error(`${result.error?.code}: ${result.error?.message}`);
    }
    run.writeResult({ ...result, attempts: attempt });
    report(`[worker] ${item.key}: ${describeResult(result)} (${formatSeconds(result.seconds)})`);
    return { decision: result.review?.decision ?? null };
  };

  const lockMs = options.lockMs ?? 60_000;
  const worker = new Worker<BenchJob>(QUEUE_NAME, processor, {
    connection: redisOptions(options.queueUrl),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(1_000, Math.floor(lockMs / 2)),
    maxStalledCount: 3,
    // Seconds an idle worker waits on Redis for a job at a time. Short: a worker stopped while Redis is away is only
    // held by BullMQ's guard on that wait (this plus one second).
    drainDelay: 1,
  });
  worker.on("completed", () => processed++);
  worker.on("failed", (job, error) => {
    if (error instanceof WaitingError || error?.name === "WaitingError") return;
    failed++;
    report(`[worker] ${job?.data.key}: attempt ${job?.attemptsMade} failed: ${error.message}`);
  });
  const watch = new ConnectionWatch(options.queueUrl, report);
  worker.on("error", (error) => {
    if (isConnectionError(error)) watch.lost(error);
    else options.logger.error({ err: error }, "queue worker error");
  });
  worker.getBackend().on("ready", () => watch.back());

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    options.signal?.addEventListener("abort", stop, { once: true });
    if (options.exitWhenIdle) void waitUntilIdle(options.queueUrl, watch, options.signal).then(stop);
  });
  await closeWorker(worker, watch.down);
  return { processed, failed };
}

/** How long a stopping worker waits for its connections to close before it drops them. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Closes the worker (running jobs have returned to the queue). With Redis gone nothing can close cleanly: the
 * connections are dropped at once (a graceful close would wait for Redis, and keep its timers running meanwhile).
 */
async function closeWorker(worker: Worker<BenchJob>, redisDown: boolean): Promise<void> {
  if (redisDown) {
    await settlesWithin(worker.close(true), 2_000);
    return;
  }
  if (await settlesWithin(worker.close(), CLOSE_GRACE_MS)) return;
  await settlesWithin(worker.disconnect(), 1_000);
}

/** Whether `promise` settles within `ms` (it is left to settle, or not, on its own). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

/**
 * Resolves once the queue has had nothing waiting, delayed or running for two checks in a row. While Redis is away
 * nothing can be known, so it keeps waiting (the worker's watch says so).
 */
async function waitUntilIdle(queueUrl: string, watch: ConnectionWatch, signal?: AbortSignal): Promise<void> {
  const queue = new Queue(QUEUE_NAME, { connection: queueHandleOptions(queueUrl) });
  queue.on("error", (error) => {
    if (isConnectionError(error)) watch.lost(error);
  });
  try {
    let quiet = 0;
    while (!signal?.aborted && quiet < 2) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      try {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
        const busy = Object.values(counts).reduce((sum, count) => sum + count, 0);
        quiet = busy === 0 ? quiet + 1 : 0;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        quiet = 0;
      }
    }
  } finally {
    await queue.disconnect().catch(() => {});
  }
}

function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : AbortSignal.any(present);
}
