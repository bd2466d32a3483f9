import { z } from "zod";

/** A queued benchmark item: the shared run directory and the item's key there. */
export const BenchJobSchema = z.object({ runDir: z.string(), key: z.string() });
export type BenchJob = z.infer<typeof BenchJobSchema>;

/** One job id per run and item, so submitting a run again never queues an item twice. */
export function benchJobId(runId: string, key: string): string {
  // BullMQ job ids may not contain ':'.
  return `${runId}__${key}`.replaceAll(":", "_");
}
