import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { executorFor } from "./execute.js";
import type { BenchExecutor } from "./executors/bench-executor.js";
import { runPool } from "./pool.js";
import { BenchProgress } from "./progress.js";
import type { InstanceResult } from "./records.js";
import { RunDir } from "./run-dir-writer.js";
import { type RunSpec, runSpecRecord } from "./spec.js";

export interface RunBenchOptions {
  concurrency: number;
  config?: Config;
  logger: Logger;
  signal?: AbortSignal;
  progress?: NodeJS.WriteStream;
  /** Use this executor instead of building one from the spec (tests, benchmarks). */
  executor?: BenchExecutor;
}

/** Opens (or creates) a run directory for a spec: the run's record of what it does. */
export function openRun(runDir: string, spec: RunSpec, executor: BenchExecutor): RunDir {
  return RunDir.open(runDir, {
    kind: spec.kind,
    dataset: {
      path: spec.dataset.path,
      fingerprint: executor.items.fingerprint,
      ...(executor.items.split ? { split: executor.items.split } : {}),
      items: executor.items.items.length,
    },
    settings: { spec: runSpecRecord(spec), ...executor.settings },
  });
}

/**
 * Runs every item not yet done, `concurrency` at a time in this process. Items that failed for infrastructure
 * reasons are tried again on the next run; an abort stops cleanly, recording nothing half-done.
 */
export async function runBench(
  spec: RunSpec,
  runDir: string,
  options: RunBenchOptions,
): Promise<{ run: RunDir; stopped: boolean; results: InstanceResult[] }> {
  const executor =
    options.executor ??
    (await executorFor(spec, {
      ...(options.config ? { config: options.config } : {}),
      logger: options.logger,
    }));
  const run = openRun(runDir, spec, executor);
  const all = executor.items.items;
  const todo = all.filter((item) => !run.isDone(item.key));
  const progress = new BenchProgress(all.length, all.length - todo.length, options.progress);
  options.logger.info({ total: all.length, todo: todo.length, runDir }, "benchmark run");
  await runPool(
    todo,
    options.concurrency,
    async (item) => {
      const result = await executor.execute(item, run.itemDir(item.key), options.signal);
      if (!result) return; // aborted: nothing recorded, redone next time
      run.writeResult(result);
      progress.record(result);
    },
    options.signal,
  );
  progress.finish();
  return { run, stopped: options.signal?.aborted ?? false, results: run.results() };
}
