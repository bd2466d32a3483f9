/**
 * Concurrency of benchmark reviews: N scripted agentic reviews (S model calls each, tools running in real
 * sandboxes) through the mock server with 200 ms latency per model call, at -j 1, 8, 32 and 64. Prints the wall time
 * against the ideal (reviews × steps × latency / concurrency, where only the model's latency would count) and the
 * peak memory of the whole process tree (proportional set size, so shared pages count once), per concurrent review.
 *
 *   npm run bench:concurrency [-- --reviews 64 --steps 8 --latency 200 --jobs 1,8,32,64]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadBenchItems } from "../src/bench/items.js";
import { reviewItem } from "../src/bench/review-item.js";
import { runBench } from "../src/bench/run-bench.js";
import { silentLogger } from "../src/common/logger.js";
import { startMockServer } from "../src/model/mock-server/server.js";
import { OpenAICompatibleModel } from "../src/model/openai/provider.js";
import type { ScriptEntry } from "../src/model/scripted/script.js";
import { RepoCache } from "../src/workspace/repo-cache.js";
import { parseRepoOverrides } from "../src/workspace/repo-source.js";
import { writeBenchSplit } from "../test/helpers/bench-split.js";

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const reviews = Number(arg("reviews", "64"));
const steps = Number(arg("steps", "8"));
const latency = Number(arg("latency", "200"));
const jobsList = arg("jobs", "1,8,32,64").split(",").map(Number);

/** A reviewer of `steps` calls: reads the issue, views code, thinks, runs a check, writes the report, finishes. */
function reviewer(body: Record<string, unknown>): ScriptEntry {
  const messages = body.messages as unknown[];
  const turn = (messages.length - 2) / 2 + 1; // one assistant + one tool message per earlier step
  const call = (name: string, args: Record<string, unknown>): ScriptEntry => ({
    toolCalls: [{ name, arguments: args }],
  });
  if (turn >= steps) return call("finish", { message: "done" });
  if (turn === steps - 1) {
    return call("terminal", {
      command: `echo '{"decision": {"recommendation": "approve", "confidence": 0.9}}' > /review_report.json`,
    });
  }
  switch (turn % 4) {
    case 1:
      return call("terminal", { command: "cat /review_data/problem_statement.txt" });
    case 2:
      return call("file_editor", { command: "view", path: "/testbed/inventory/units.py" });
    case 3:
      return call("think", { thought: `step ${turn}` });
    default:
      return call("terminal", { command: "cd /testbed && python3 -c 'import inventory.units'" });
  }
}

/** Proportional set size of a process and all its descendants, in MiB (walks only our own process tree). */
function treePss(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
        if (children) stack.push(...children.split(" ").map(Number));
      }
    } catch {
      // gone
    }
  }
  return total / 1024;
}

const root = mkdtempSync(join(tmpdir(), "swe-review-bench-concurrency-"));
const { split, repoDir } = writeBenchSplit(root, reviews);
const items = await loadBenchItems({ dataset: split });
const server = await startMockServer({
  respond: async (body) => {
    await new Promise((resolve) => setTimeout(resolve, latency));
    return reviewer(body);
  },
});
const model = new OpenAICompatibleModel({
  name: "bench",
  baseUrl: server.baseUrl,
  settings: { reasoningRoundTrip: true },
  timeoutMs: 120_000,
});
const cache = new RepoCache(join(root, "cache"));
const baseline = treePss(process.pid);
console.log(
  `reviews ${reviews} × ${steps} model calls, ${latency} ms latency; baseline ${baseline.toFixed(0)} MiB`,
);
try {
  const run = async (jobs: number, pass: string) => {
    const runDir = join(root, `run-j${jobs}-${pass}`);
    const review = {
      model,
      budget: { maxSteps: steps + 5 },
      cache,
      workspaceRoot: join(root, "workspaces"),
      sandbox: { kind: existsSync("/usr/bin/bwrap") ? ("bwrap" as const) : ("local" as const) },
    };
    const overrides = parseRepoOverrides([`demo/inventory=${repoDir}`]);
    const { results } = await runBench(
      {
        kind: "review",
        dataset: { path: split },
        mode: "agentic",
        reviewer: {},
        repoOverrides: [],
        attempts: 1,
      },
      runDir,
      {
        concurrency: jobs,
        logger: silentLogger,
        progress: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
        executor: {
          items,
          settings: {},
          execute: (item, itemDir, signal) =>
            reviewItem(item, itemDir, {
              review,
              mode: "agentic",
              overrides,
              attempts: 1,
              ...(signal ? { signal } : {}),
            }),
        },
      },
    );
    rmSync(runDir, { recursive: true, force: true });
    return results.filter((r) => r.review?.decision === "approve").length;
  };
  for (const jobs of jobsList) {
    // Two passes: the wall time without the memory sampler (reading every process's smaps_rollup costs CPU the
    // reviews would otherwise have), then the peak memory with it.
    const started = performance.now();
    const approved = await run(jobs, "time");
    const wall = (performance.now() - started) / 1000;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, treePss(process.pid));
    }, 500);
    await run(jobs, "memory");
    clearInterval(sampler);
    const ideal = (reviews * steps * latency) / 1000 / jobs;
    console.log(
      `-j ${String(jobs).padEnd(3)} wall ${wall.toFixed(1)} s  ideal ${ideal.toFixed(1)} s  efficiency ${((100 * ideal) / wall).toFixed(0)}%  ` +
        `peak ${peak.toFixed(0)} MiB (+${(peak - baseline).toFixed(0)}; ${((peak - baseline) / Math.min(jobs, reviews)).toFixed(1)} MiB per concurrent review)  ` +
        `approved ${approved}/${reviews}`,
    );
  }
  console.log("goal: >= 90% of ideal at -j 64 on 2 cores, < 40 MiB per concurrent review");
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
