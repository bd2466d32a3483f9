/**
 * Framework overhead per agent step: wall time of a step minus the time spent inside the model call and the tool.
 * 1,000 steps with an instant scripted model and a no-op tool, in process (trajectory written to a JSONL file),
 * then the same through the real OpenAI provider and the mock HTTP server.
 *
 *   npm run bench:agent-overhead [-- --steps 1000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { runAgent } from "../src/agent/run-agent.js";
import { startMockServer } from "../src/model/mock-server/server.js";
import { OpenAICompatibleModel } from "../src/model/openai/provider.js";
import type { ScriptTurn } from "../src/model/scripted/script.js";
import { ScriptedModel } from "../src/model/scripted/scripted-model.js";
import type { Model } from "../src/model/types.js";
import { defineTool } from "../src/tools/tool.js";
import { TrajectoryWriter } from "../src/trajectory/writer.js";

const steps = Number(process.argv[process.argv.indexOf("--steps") + 1]) || 1000;

function script(): ScriptTurn[] {
  // Different arguments each step, so the stuck detector stays quiet.
  const turns: ScriptTurn[] = Array.from({ length: steps - 1 }, (_, i) => ({
    toolCalls: [{ name: "noop", arguments: { i } }],
  }));
  turns.push({ content: "done" });
  return turns;
}

interface Timed {
  inside: number;
}

function timedModel(model: Model, timer: Timed): Model {
  return {
    describe: () => model.describe(),
    complete: async (request, signal) => {
      const start = performance.now();
      try {
        return await model.complete(request, signal);
      } finally {
        timer.inside += performance.now() - start;
      }
    },
  };
}

async function measure(label: string, model: Model): Promise<void> {
  const timer: Timed = { inside: 0 };
  const noop = defineTool({
    name: "noop",
    description: "Does nothing.",
    schema: z.object({ i: z.number() }),
    run: () => {
      const start = performance.now();
      const result = { output: "ok" };
      timer.inside += performance.now() - start;
      return result;
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "swe-review-bench-"));
  const writer = new TrajectoryWriter(join(dir, "trajectory.jsonl"));
  const overheads: number[] = [];
  const totals: number[] = [];
  let stepStart = performance.now();
  const runStart = performance.now();
  const run = await runAgent({
    model: timedModel(model, timer),
    tools: [noop],
    system: "bench",
    task: "bench",
    budget: { maxSteps: steps + 10 },
    trajectory: writer,
    onStep: () => {
      const now = performance.now();
      totals.push(now - stepStart);
      overheads.push(now - stepStart - timer.inside);
      timer.inside = 0;
      stepStart = now;
    },
  });
  const wall = performance.now() - runStart;
  writer.close();
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== "finished" || run.steps !== steps)
    throw new Error(`${label}: ${run.status} after ${run.steps} steps`);
  console.log(
    `${label.padEnd(34)} steps ${steps}  median overhead/step ${median(overheads).toFixed(3)} ms  ` +
      `p90 ${percentile(overheads, 0.9).toFixed(3)} ms  median step ${median(totals).toFixed(3)} ms  wall ${(wall / 1000).toFixed(2)} s`,
  );
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

await measure("in process (scripted model)", new ScriptedModel(script()));
const server = await startMockServer({ script: script() });
try {
  await measure(
    "over HTTP (OpenAI provider + mock)",
    new OpenAICompatibleModel({
      name: "bench",
      baseUrl: server.baseUrl,
      settings: { reasoningRoundTrip: true },
      timeoutMs: 60_000,
    }),
  );
} finally {
  await server.close();
}
console.log("goal: median in-process overhead <= 1 ms per step");
