import { withQueue } from "./open-queue.js";

export interface QueueStatus {
  counts: Record<string, number>;
  /** The dead-letter list: jobs that failed on their last attempt, with why. */
  failed: Array<{ id: string; runDir: string; key: string; attempts: number; reason: string }>;
}

export function queueStatus(url: string): Promise<QueueStatus> {
  return withQueue(url, async (queue) => {
    const counts = await queue.getJobCounts(
      "waiting",
      "active",
      "delayed",
      "prioritized",
      "completed",
      "failed",
    );
    const failed = (await queue.getFailed(0, 999)).map((job) => ({
      id: job.id ?? "",
      runDir: job.data.runDir,
      key: job.data.key,
      attempts: job.attemptsMade,
      reason: job.failedReason,
    }));
    return { counts, failed };
  });
}

/** Removes every job not yet running (waiting and delayed); running jobs finish. */
export function drainQueue(url: string): Promise<void> {
  return withQueue(url, (queue) => queue.drain(true));
}

/** Puts every job of the dead-letter list back in the queue, with fresh attempts. */
export function retryFailed(url: string): Promise<number> {
  return withQueue(url, async (queue) => {
    const count = (await queue.getJobCounts("failed")).failed ?? 0;
    await queue.retryJobs({ state: "failed" });
    return count;
  });
}
