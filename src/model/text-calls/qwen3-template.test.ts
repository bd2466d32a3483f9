import { describe, expect, it } from "vitest";
import {
  NO_TEMPLATE_REASON,
  qwen3TemplateSources,
  renderWithTemplate,
} from "../../../test/helpers/qwen3-template.js";
import { skipTitle, unless } from "../../../test/helpers/skip.js";
import type { Message, ToolSpec } from "../types.js";
import { lastQueryIndex, renderQwen3, renderQwen3Turns } from "./qwen3-template.js";

const tools: ToolSpec[] = [
  {
    name: "terminal",
    description: "Run a command; you’ll see its output.",
    parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
  { name: "finish", description: "Finish.", parameters: { type: "object", properties: {} } },
];

const call = (id: string, name: string, args: string) => ({ id, name, arguments: args });

/** Conversations that exercise every branch of the template. */
const conversations: Record<string, Message[]> = {
  "an agent run with reasoning, parallel calls and tool results": [
    { role: "system", content: "You review patches." },
    { role: "user", content: "Review the fix for the naïve parser." },
    {
      role: "assistant",
      content: "Let me look.",
      reasoning: "\nFirst the diff.\n",
      toolCalls: [
        call("a", "terminal", '{"command": "git diff"}'),
        call("b", "terminal", '{"command": "ls"}'),
      ],
    },
    { role: "tool", toolCallId: "a", name: "terminal", content: "diff --git a/x b/x" },
    { role: "tool", toolCallId: "b", name: "terminal", content: "x\ny" },
    { role: "assistant", content: "", toolCalls: [call("c", "terminal", '{"command": "pytest -q"}')] },
    { role: "tool", toolCallId: "c", name: "terminal", content: "1 failed" },
    { role: "assistant", content: "Request changes: the test fails.", toolCalls: [] },
  ],
  "a notice after tool results moves the last query (earlier reasoning is dropped)": [
    { role: "system", content: "s" },
    { role: "user", content: "task" },
    { role: "assistant", content: "a", reasoning: "r1", toolCalls: [call("a", "finish", "{}")] },
    { role: "tool", toolCallId: "a", name: "finish", content: "ok" },
    { role: "user", content: "You have one turn left." },
    { role: "assistant", content: "\n\nfinal", reasoning: "r2", toolCalls: [] },
  ],
  "think tags left in the content, and an empty final reasoning": [
    { role: "user", content: "task" },
    {
      role: "assistant",
      content: "<think>\nhidden\n</think>\n\nshown",
      toolCalls: [call("a", "finish", "{}")],
    },
    { role: "tool", toolCallId: "a", name: "finish", content: "done" },
    { role: "assistant", content: "bye", toolCalls: [] },
  ],
  "a user message that is only a tool response, and a second system message": [
    { role: "system", content: "s" },
    { role: "user", content: "task" },
    { role: "assistant", content: "x", reasoning: "", toolCalls: [] },
    { role: "user", content: "<tool_response>\nlate\n</tool_response>" },
    { role: "system", content: "a reminder" },
    { role: "assistant", content: "y", reasoning: "thought", toolCalls: [] },
  ],
};

describe("renderQwen3 (golden: the real Qwen3 chat template rendered by @huggingface/jinja)", () => {
  const sources = qwen3TemplateSources();
  const noTemplate = unless(sources.length > 0, NO_TEMPLATE_REASON);
  it.skipIf(noTemplate)(skipTitle("matches the template byte for byte", noTemplate), () => {
    for (const source of sources) {
      for (const [name, messages] of Object.entries(conversations)) {
        for (const toolList of [tools, []]) {
          const expected = renderWithTemplate(source, messages, toolList);
          expect(renderQwen3(messages, toolList), `${source.name}: ${name}`).toBe(expected);
        }
        const withPrompt = renderWithTemplate(source, messages, tools, { addGenerationPrompt: true });
        expect(renderQwen3(messages, tools, { addGenerationPrompt: true })).toBe(withPrompt);
      }
    }
  });
});

describe("renderQwen3Turns", () => {
  it("groups a run of tool results into one user turn and keeps message indices", () => {
    const messages = conversations["an agent run with reasoning, parallel calls and tool results"] ?? [];
    const turns = renderQwen3Turns(messages, tools);
    expect(turns.map((turn) => turn.role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(turns[3]).toEqual({
      role: "user",
      content:
        "<tool_response>\ndiff --git a/x b/x\n</tool_response>\n<tool_response>\nx\ny\n</tool_response>",
      messages: [3, 4],
    });
    expect(turns[2]?.content).toBe(
      '<think>\nFirst the diff.\n</think>\n\nLet me look.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "git diff"}}\n</tool_call>\n<tool_call>\n{"name": "terminal", "arguments": {"command": "ls"}}\n</tool_call>',
    );
    expect(turns[6]?.content).toBe("<think>\n\n</think>\n\nRequest changes: the test fails.");
  });

  it("finds the last real user query", () => {
    expect(
      lastQueryIndex(
        conversations["a notice after tool results moves the last query (earlier reasoning is dropped)"] ??
          [],
      ),
    ).toBe(4);
    expect(lastQueryIndex([])).toBe(-1);
  });
});
