import { Queue } from "bullmq";
import { QUEUE_NAME, queueHandleOptions } from "./connection.js";
import type { BenchJob } from "./job.js";
import { checkQueue, queueFailure } from "./reachability.js";

/** How long closing a handle may take before its connection is dropped (Redis may be gone). */
const CLOSE_GRACE_MS = 2_000;

/**
 * Runs `action` with a handle on the benchmark queue and closes it after. Redis is checked first (a clear error
 * within seconds, or at once on abort, instead of endless reconnection traces); if it goes away during the action,
 * the action fails with `QueueUnreachableError` rather than waiting for it.
 */
export async function withQueue<T>(
  url: string,
  action: (queue: Queue<BenchJob, unknown, string>) => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  await checkQueue(url, options);
  const queue = new Queue<BenchJob, unknown, string>(QUEUE_NAME, { connection: queueHandleOptions(url) });
  let lastSeen: unknown;
  // Connection errors reach the command that was waiting on them; unheard, BullMQ prints each one with its trace.
  queue.on("error", (error) => {
    lastSeen = error;
  });
  try {
    return await action(queue);
  } catch (error) {
    throw queueFailure(error, url, lastSeen);
  } finally {
    await closeQueue(queue);
  }
}

async function closeQueue(queue: Queue<BenchJob, unknown, string>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    queue.close().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!closed) await queue.disconnect().catch(() => {});
}
