import { z } from "zod";

/**
 * A queued benchmark item: the shared run directory and the item's key there. `revise` jobs revise a rejected
 * candidate of a review run (bench revise); absent: the run's own kind of work.
 */
export const BenchJobSchema = z.object({
  runDir: z.string(),
  key: z.string(),
  task: z.literal("revise").optional(),
});
export type BenchJob = z.infer<typeof BenchJobSchema>;

/** One job id per run, task and item, so submitting a run again never queues an item twice. */
export function benchJobId(runId: string, key: string, task?: BenchJob["task"]): string {
  // BullMQ job ids may not contain ':'.
  return `${runId}__${task ? `${task}__` : ""}${key}`.replaceAll(":", "_");
}
