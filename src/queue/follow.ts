import type { BenchItem } from "../bench/items.js";
import type { BenchProgress } from "../bench/progress.js";
import type { RunDir } from "../bench/run-dir-writer.js";

/**
 * Follows a queued run from its run directory, where workers write results: reports each new result and resolves
 * when every item has one (done, or failed for good), or when the signal aborts (the jobs keep running).
 */
export async function followRun(
  run: RunDir,
  items: readonly BenchItem[],
  options: { progress: BenchProgress; signal?: AbortSignal; intervalMs?: number },
): Promise<void> {
  const seen = new Set(items.filter((item) => run.result(item.key)).map((item) => item.key));
  while (!options.signal?.aborted && seen.size < items.length) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
    for (const item of items) {
      if (seen.has(item.key)) continue;
      const result = run.result(item.key);
      if (!result) continue;
      seen.add(item.key);
      options.progress.record(result);
    }
  }
  options.progress.finish();
}
