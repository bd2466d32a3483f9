/**
 * What reading text tool calls and counting tokens cost per agent step:
 * - parsing a typical turn (a thought and two hermes calls, one writing a 5 KB file), clean and with broken JSON;
 * - counting a 100-step conversation (2 KB of tool output a step) with the calibrated estimate, and with a
 *   byte-level BPE tokenizer in `tokenizer.json` format (a small vocabulary, so absolute times are lower than with
 *   Qwen3's 151k-token vocabulary: compare cold against cached).
 *
 *   npm run bench:text-calls-and-tokens
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pythonJsonDumps } from "../src/common/python-json.js";
import { parseTextToolCalls } from "../src/model/text-calls/parse.js";
import { EstimatingCounter } from "../src/model/tokens/estimate.js";
import { HfTokenizerCounter } from "../src/model/tokens/hf-tokenizer.js";
import type { Message, ModelRequest } from "../src/model/types.js";
import { smallTokenizerJson } from "../test/helpers/small-tokenizer.js";

function time(label: string, runs: number, work: () => void): void {
  work();
  const start = performance.now();
  for (let i = 0; i < runs; i++) work();
  const perRun = (performance.now() - start) / runs;
  console.log(
    `${label.padEnd(58)} ${perRun < 1 ? `${(perRun * 1000).toFixed(1)} µs` : `${perRun.toFixed(2)} ms`}`,
  );
}

const file = "def add(a, b):\n    return a + b  # </tool_call> in a comment\n".repeat(80);
const clean =
  "I will fix the operator and run the tests.\n" +
  `<tool_call>\n{"name": "file_editor", "arguments": ${pythonJsonDumps({ command: "create", path: "/testbed/calc.py", file_text: file })}}\n</tool_call>\n` +
  `<tool_call>\n{"name": "terminal", "arguments": {"command": "python -m pytest -q"}}\n</tool_call>`;
const broken = clean.replace('"python -m pytest -q"}}', '"python -m pytest -q",}');

time("parse a turn with two calls (5 KB argument)", 2000, () => parseTextToolCalls(clean));
time("the same with a trailing comma (repaired by jsonrepair)", 500, () => parseTextToolCalls(broken));

const messages: Message[] = [
  { role: "system", content: "You review patches.".repeat(200) },
  { role: "user", content: "Review this patch." },
];
for (let step = 0; step < 100; step++) {
  messages.push({
    role: "assistant",
    content: "Looking further.",
    reasoning: "I should check the callers.",
    toolCalls: [
      { id: `c${step}`, name: "terminal", arguments: `{"command": "grep -rn add src/ # ${step}"}` },
    ],
  });
  messages.push({
    role: "tool",
    toolCallId: `c${step}`,
    name: "terminal",
    content: `src/calc.py:${step}: ${"x = add(a, b)\n".repeat(140)}`,
  });
}
const request: ModelRequest = {
  messages,
  tools: [{ name: "terminal", description: "Run a command.", parameters: { type: "object" } }],
};
const characters = JSON.stringify(messages).length;
console.log(`conversation: ${messages.length} messages, ${(characters / 1024).toFixed(0)} KB`);

time("count it with the calibrated estimate", 50, () => new EstimatingCounter().count(request));
const dir = mkdtempSync(join(tmpdir(), "swe-review-bench-"));
writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(smallTokenizerJson()));
time("count it with a BPE tokenizer.json, cold (every message)", 5, () =>
  HfTokenizerCounter.fromFile(join(dir, "tokenizer.json")).count(request),
);
const warm = HfTokenizerCounter.fromFile(join(dir, "tokenizer.json"));
time("count it again, every message cached", 50, () => warm.count(request));
