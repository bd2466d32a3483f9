/**
 * The queue's cost. (1) Throughput of no-op jobs end to end: enqueue, a worker takes each, "does" it, records the
 * result in the run directory; at worker concurrency 1 and 10. (2) Overhead per real job: the same single-turn
 * reviews (mock model, no latency) in the in-process pool and through the queue with one worker at the same
 * concurrency. Needs a Redis: SWE_REVIEW_BENCH_REDIS (default redis://127.0.0.1:6379/15, which is flushed).
 *
 *   npm run bench:queue [-- --jobs 2000 --reviews 100]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import type { BenchExecutor } from "../src/bench/executors/bench-executor.js";
import { type BenchItem, loadBenchItems } from "../src/bench/items.js";
import type { InstanceResult } from "../src/bench/records.js";
import { reviewItem } from "../src/bench/review-item.js";
import { openRun, runBench } from "../src/bench/run-bench.js";
import type { RunSpec } from "../src/bench/spec.js";
import { silentLogger } from "../src/common/logger.js";
import { startMockServer } from "../src/model/mock-server/server.js";
import { OpenAICompatibleModel } from "../src/model/openai/provider.js";
import { enqueueRun } from "../src/queue/enqueue.js";
import { runWorker } from "../src/queue/worker.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { parseRepoOverrides } from "../src/workspace/repo-source.js";
import { singleTurnReviewer, writeBenchSplit } from "../test/helpers/bench-split.js";

const arg = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const noopJobs = arg("jobs", 2000);
const reviews = arg("reviews", 100);
const queueUrl = process.env.SWE_REVIEW_BENCH_REDIS ?? "redis://127.0.0.1:6379/15";
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const root = mkdtempSync(join(tmpdir(), "swe-review-bench-queue-"));

async function flush(): Promise<void> {
  const redis = new Redis(queueUrl);
  await redis.flushdb();
  await redis.quit();
}

function doneResult(item: BenchItem): InstanceResult {
  return {
    version: 1,
    key: item.key,
    instance_id: item.instance.instance_id,
    candidate_id: item.candidate.candidate_id,
    status: "done",
    label: item.label,
    usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, cost_usd: 0 },
    steps: 0,
    seconds: 0,
    attempts: 1,
    finished_at: new Date().toISOString(),
  };
}

/** Runs `executor` over a run through the queue with one worker; returns the wall time in ms. */
async function throughQueue(
  spec: RunSpec,
  runDir: string,
  executor: BenchExecutor,
  concurrency: number,
): Promise<number> {
  await flush();
  const run = openRun(runDir, spec, executor);
  const started = performance.now();
  let lastDone = started;
  await enqueueRun(run, executor.items.items, { queueUrl, attempts: 1 });
  const outcome = await runWorker({
    queueUrl,
    concurrency,
    logger: silentLogger,
    exitWhenIdle: true,
    lockMs: 30_000,
    // Until the last job is done: the worker then waits for two quiet checks a second apart before it stops.
    report: () => {
      lastDone = performance.now();
    },
    executorFor: async () => executor,
  });
  if (outcome.processed !== executor.items.items.length) {
    throw new Error(
      `the worker processed ${outcome.processed} of ${executor.items.items.length} jobs (${outcome.failed} failed)`,
    );
  }
  return lastDone - started;
}

try {
  const { split, repoDir } = writeBenchSplit(root, Math.max(noopJobs, reviews));
  const all = await loadBenchItems({ dataset: split });
  const spec: RunSpec = {
    kind: "review",
    dataset: { path: split },
    mode: "single-turn-diff",
    reviewer: {},
    repoOverrides: [],
    attempts: 1,
  };

  for (const concurrency of [1, 10]) {
    const items = { ...all, items: all.items.slice(0, noopJobs) };
    const noop: BenchExecutor = { items, settings: {}, execute: async (item) => doneResult(item) };
    const working = await throughQueue(spec, join(root, `noop-${concurrency}`), noop, concurrency);
    console.log(
      `no-op jobs: ${noopJobs} at worker concurrency ${concurrency}: ${(noopJobs / (working / 1000)).toFixed(0)} jobs/s end to end`,
    );
  }

  const server = await startMockServer({ respond: singleTurnReviewer(new Map()) });
  const model = new OpenAICompatibleModel({
    name: "bench",
    baseUrl: server.baseUrl,
    settings: { reasoningRoundTrip: true },
    timeoutMs: 60_000,
  });
  const cache = new RepoCache(join(root, "cache"));
  const items = { ...all, items: all.items.slice(0, reviews) };
  const review: BenchExecutor = {
    items,
    settings: {},
    execute: (item, itemDir, signal) =>
      reviewItem(item, itemDir, {
        review: {
          model,
          budget: { maxSteps: 1 },
          cache,
          workspaceRoot: join(root, "workspaces"),
          sandbox: { kind: "local" },
        },
        mode: "single-turn-diff",
        overrides: parseRepoOverrides([`demo/inventory=${repoDir}`]),
        attempts: 1,
        ...(signal ? { signal } : {}),
      }),
  };
  const concurrency = 4;
  // Warm up: the first review creates the repository mirror; neither side should pay for it.
  await review.execute(items.items[0] as BenchItem, join(root, "warm-up"));
  const started = performance.now();
  await runBench(spec, join(root, "pool"), {
    concurrency,
    logger: silentLogger,
    progress: quiet,
    executor: review,
  });
  const pool = performance.now() - started;
  const queued = await throughQueue(spec, join(root, "queued"), review, concurrency);
  await server.close();
  console.log(
    `real single-turn reviews: ${reviews} at concurrency ${concurrency}: pool ${(pool / reviews).toFixed(1)} ms/review, ` +
      `queue ${(queued / reviews).toFixed(1)} ms/review, overhead ${((queued - pool) / reviews).toFixed(1)} ms per job`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
