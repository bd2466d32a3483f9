import type { BenchItem, BenchItems } from "../items.js";
import type { InstanceResult } from "../records.js";

/** Does one item of a run: everything a pool or a queue worker needs. */
export interface BenchExecutor {
  items: BenchItems;
  /** The item's result, or undefined when aborted (nothing to record). */
  execute(item: BenchItem, itemDir: string, signal?: AbortSignal): Promise<InstanceResult | undefined>;
  /** run.json settings: who did the work (secrets redacted). */
  settings: Record<string, unknown>;
}
