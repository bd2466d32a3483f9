import type { Logger } from "../common/logger.js";
import type { ReviewEnvironment, ReviewMode } from "../review/run-review.js";
import type { RepoOverrides } from "../workspace/repo-source.js";
import type { BenchItems } from "./items.js";
import { runPool } from "./pool.js";
import { BenchProgress } from "./progress.js";
import type { InstanceResult } from "./records.js";
import { reviewItem } from "./review-item.js";
import { RunDir } from "./run-dir.js";

export interface BenchReviewOptions {
  dataset: string;
  items: BenchItems;
  runDir: string;
  mode: ReviewMode;
  concurrency: number;
  attempts: number;
  overrides: RepoOverrides;
  review: Omit<ReviewEnvironment, "outDir" | "signal">;
  /** Recorded in run.json (secrets redacted). */
  settings: Record<string, unknown>;
  signal?: AbortSignal;
  logger?: Logger;
  progress?: NodeJS.WriteStream;
}

/**
 * Reviews every item not yet done in the run directory, `concurrency` at a time, each in a fresh workspace. Items
 * that failed for infrastructure reasons are tried again on the next run; an abort stops cleanly.
 */
export async function runBenchReview(
  options: BenchReviewOptions,
): Promise<{ run: RunDir; stopped: boolean; results: InstanceResult[] }> {
  const run = RunDir.open(options.runDir, {
    kind: "review",
    dataset: {
      path: options.dataset,
      fingerprint: options.items.fingerprint,
      ...(options.items.split ? { split: options.items.split } : {}),
      items: options.items.items.length,
    },
    settings: { mode: options.mode, ...options.settings },
  });
  const todo = options.items.items.filter((item) => !run.isDone(item.key));
  const progress = new BenchProgress(
    options.items.items.length,
    options.items.items.length - todo.length,
    options.progress,
  );
  options.logger?.info(
    { total: options.items.items.length, todo: todo.length, runDir: options.runDir },
    "benchmark review",
  );
  await runPool(
    todo,
    options.concurrency,
    async (item) => {
      const result = await reviewItem(item, run.itemDir(item.key), {
        review: options.review,
        mode: options.mode,
        overrides: options.overrides,
        attempts: options.attempts,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
      if (!result) return; // aborted: nothing recorded, redone next time
      run.writeResult(result);
      progress.record(result);
    },
    options.signal,
  );
  progress.finish();
  return { run, stopped: options.signal?.aborted ?? false, results: run.results() };
}
