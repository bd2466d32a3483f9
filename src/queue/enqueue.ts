import type { Queue } from "bullmq";
import type { BenchItem } from "../bench/items.js";
import { verifiedRevision } from "../bench/revise-run.js";
import type { RunDir } from "../bench/run-dir-writer.js";
import { type BenchJob, benchJobId } from "./job.js";
import { withQueue } from "./open-queue.js";

export interface EnqueueResult {
  /** Jobs queued now. */
  added: number;
  /** Items already done in the run directory. */
  done: number;
  /** Items whose job was already queued, running, or waiting to be retried. */
  pending: number;
  /** Items whose job failed for good (the dead-letter list): `swe-review queue retry-failed` puts them back. */
  failed: number;
}

export interface QueueOptions {
  queueUrl: string;
  attempts: number;
  backoffMs?: number;
  /** Stops waiting for Redis (Ctrl-C). */
  signal?: AbortSignal;
}

/** Queues one job per item of a run not yet done (`bench review|tts|verify --queue`). */
export function enqueueRun(run: RunDir, items: readonly BenchItem[], options: QueueOptions) {
  return enqueueJobs(
    {
      run,
      items: items.map((item) => ({ key: item.key, done: () => run.isDone(item.key) })),
      name: run.manifest.kind,
      task: undefined,
    },
    options,
  );
}

/** Queues one revision per rejected candidate of a review run not yet revised and verified (`bench revise --queue`). */
export function enqueueRevisions(run: RunDir, items: readonly BenchItem[], options: QueueOptions) {
  return enqueueJobs(
    {
      run,
      items: items.map((item) => ({ key: item.key, done: () => verifiedRevision(run.itemDir(item.key)) })),
      name: "revise",
      task: "revise",
    },
    options,
  );
}

/** One job per item of a run, each with a way to tell that its item is done already. */
interface RunJobs {
  run: RunDir;
  items: readonly { key: string; done: () => boolean }[];
  /** The BullMQ job name. */
  name: string;
  task: BenchJob["task"];
}

/**
 * Job ids are derived from the run, the task and the item, so a second submission adds nothing that is already
 * queued, running or in the dead-letter list.
 */
async function enqueueJobs(jobs: RunJobs, options: QueueOptions): Promise<EnqueueResult> {
  return withQueue(
    options.queueUrl,
    (queue) => addMissingJobs(queue, jobs, options),
    options.signal ? { signal: options.signal } : {},
  );
}

async function addMissingJobs(
  queue: Queue<BenchJob, unknown, string>,
  { run, items, name, task }: RunJobs,
  options: QueueOptions,
): Promise<EnqueueResult> {
  const jobId = (key: string) => benchJobId(run.manifest.run_id, key, task);
  const result: EnqueueResult = { added: 0, done: 0, pending: 0, failed: 0 };
  const todo: string[] = [];
  const open = items.filter((item) => !item.done());
  result.done = items.length - open.length;
  // Concurrent lookups: the client pipelines them into a few round trips.
  const states = await Promise.all(
    open.map(async (item) => {
      const existing = await queue.getJob(jobId(item.key));
      return { item, existing, state: existing ? await existing.getState() : undefined };
    }),
  );
  for (const { item, existing, state } of states) {
    if (state === "failed") result.failed++;
    else if (state && state !== "completed" && state !== "unknown") result.pending++;
    else if (state === "completed" && item.done())
      result.done++; // finished since the first look
    else {
      if (existing) await existing.remove(); // a completed job whose result went missing: run it again
      todo.push(item.key);
    }
  }
  await queue.addBulk(
    todo.map((key) => ({
      name,
      data: { runDir: run.dir, key, ...(task ? { task } : {}) },
      opts: {
        jobId: jobId(key),
        attempts: options.attempts,
        backoff: { type: "exponential", delay: options.backoffMs ?? 10_000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: false,
      },
    })),
  );
  result.added = todo.length;
  return result;
}
