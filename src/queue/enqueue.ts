import { Queue } from "bullmq";
import type { BenchItem } from "../bench/items.js";
import type { RunDir } from "../bench/run-dir.js";
import { QUEUE_NAME, redisOptions } from "./connection.js";
import { type BenchJob, benchJobId } from "./job.js";

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

/**
 * Queues one job per item not yet done. Job ids are derived from the run and the item, so a second submission adds
 * nothing that is already queued, running or in the dead-letter list.
 */
export async function enqueueRun(
  run: RunDir,
  items: readonly BenchItem[],
  options: { queueUrl: string; attempts: number; backoffMs?: number },
): Promise<EnqueueResult> {
  const queue = new Queue<BenchJob, unknown, string>(QUEUE_NAME, {
    connection: redisOptions(options.queueUrl),
  });
  try {
    const result: EnqueueResult = { added: 0, done: 0, pending: 0, failed: 0 };
    const todo: BenchItem[] = [];
    const open = items.filter((item) => !run.isDone(item.key));
    result.done = items.length - open.length;
    // Concurrent lookups: the client pipelines them into a few round trips.
    const states = await Promise.all(
      open.map(async (item) => {
        const existing = await queue.getJob(benchJobId(run.manifest.run_id, item.key));
        return { item, existing, state: existing ? await existing.getState() : undefined };
      }),
    );
    for (const { item, existing, state } of states) {
      if (state === "failed") result.failed++;
      else if (state && state !== "completed" && state !== "unknown") result.pending++;
      else if (state === "completed" && run.isDone(item.key))
        result.done++; // finished since the first look
      else {
        if (existing) await existing.remove(); // a completed job whose result went missing: run it again
        todo.push(item);
      }
    }
    await queue.addBulk(
      todo.map((item) => ({
        name: run.manifest.kind as string,
        data: { runDir: run.dir, key: item.key },
        opts: {
          jobId: benchJobId(run.manifest.run_id, item.key),
          attempts: options.attempts,
          backoff: { type: "exponential", delay: options.backoffMs ?? 10_000 },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: false,
        },
      })),
    );
    result.added = todo.length;
    return result;
  } finally {
    await queue.close();
  }
}
