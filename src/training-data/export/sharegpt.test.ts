import { describe, expect, it } from "vitest";
import { renderQwen3Turns, turnText } from "../../model/text-calls/qwen3-template.js";
import type { Message, ToolSpec } from "../../model/types.js";
import { llamaFactoryRecord } from "./llamafactory.js";
import { llamaFactoryToolsRecord } from "./llamafactory-tools.js";
import { toShareGpt } from "./sharegpt.js";
import { compileMaskPatterns, DEFAULT_MASK_PATTERNS, PAPER_MASK_PATTERNS } from "./turn-mask.js";
import { llamaFactoryQwen3Text, shareGptProblems } from "./validate-sharegpt.js";

const tools: ToolSpec[] = [{ name: "terminal", description: "Run.", parameters: { type: "object" } }];
const call = (id: string, command: string) => ({
  id,
  name: "terminal",
  arguments: `{"command": "${command}"}`,
});
const masks = compileMaskPatterns(DEFAULT_MASK_PATTERNS);

/** A run with a grace notice right after tool results, and two answers in a row. */
const conversation: Message[] = [
  { role: "system", content: "s" },
  { role: "user", content: "task" },
  { role: "assistant", content: "", toolCalls: [call("a", "ls"), call("b", "cat x")] },
  { role: "tool", toolCallId: "a", name: "terminal", content: "x" },
  {
    role: "tool",
    toolCallId: "b",
    name: "terminal",
    content: "[An error occurred during execution.]\n\nno x",
  },
  { role: "user", content: "One turn left." },
  { role: "assistant", content: "Thinking aloud.", toolCalls: [] },
  { role: "assistant", content: "Approve.", reasoning: "ok", toolCalls: [] },
];

describe("toShareGpt", () => {
  it("joins same-side turns with their special tokens so LLaMA-Factory rebuilds the template's text", () => {
    const turns = renderQwen3Turns(conversation, tools);
    const result = toShareGpt(turns, masks);
    if (!result.ok) throw new Error(result.reason);
    expect(result.messages.map((m) => [m.role, m.turn_mask])).toEqual([
      ["system", true],
      ["user", true],
      ["assistant", true], // its second call failed
      ["user", true],
      ["assistant", false],
    ]);
    expect(result.merged).toBe(2);
    expect(result.messages[3]?.content).toBe(
      "<tool_response>\nx\n</tool_response>\n<tool_response>\n[An error occurred during execution.]\n\nno x\n</tool_response><|im_end|>\n<|im_start|>user\nOne turn left.",
    );
    expect(llamaFactoryQwen3Text(result.messages)).toBe(turns.map(turnText).join(""));
    expect(shareGptProblems({ messages: result.messages })).toEqual([]);
  });

  it("drops what follows the last answer, and refuses what LLaMA-Factory cannot represent", () => {
    const trailing = renderQwen3Turns([...conversation, { role: "user", content: "more?" }], tools);
    const result = toShareGpt(trailing, masks);
    expect(result.ok && result.messages.at(-1)?.role).toBe("assistant");
    const midSystem = renderQwen3Turns(
      [
        { role: "user", content: "t" },
        { role: "assistant", content: "a", toolCalls: [] },
        { role: "system", content: "late" },
        { role: "assistant", content: "b", toolCalls: [] },
      ],
      [],
    );
    expect(toShareGpt(midSystem, masks)).toEqual({
      ok: false,
      reason: "a system message after a reply cannot open a ShareGPT user turn",
    });
    expect(toShareGpt(renderQwen3Turns([{ role: "user", content: "t" }], []), masks)).toEqual({
      ok: false,
      reason: "there is no assistant turn",
    });
  });

  it("masks by exit code only with the paper's patterns", () => {
    const run: Message[] = [
      { role: "user", content: "task" },
      { role: "assistant", content: "", toolCalls: [call("a", "pytest")] },
      {
        role: "tool",
        toolCallId: "a",
        name: "terminal",
        content: "1 failed\n[Command finished with exit code 1]",
      },
      { role: "assistant", content: "Request changes.", toolCalls: [] },
    ];
    const ours = llamaFactoryRecord(run, tools, masks);
    const paper = llamaFactoryRecord(run, tools, compileMaskPatterns(PAPER_MASK_PATTERNS));
    expect(ours.ok && ours.record.messages[2]?.turn_mask).toBe(false);
    expect(paper.ok && paper.record.messages[2]?.turn_mask).toBe(true);
    expect(() => compileMaskPatterns(["("])).toThrow(/--mask-pattern "\(" is not a valid regular expression/);
  });
});

describe("shareGptProblems (LLaMA-Factory's rules)", () => {
  it("finds what would make LLaMA-Factory skip an example", () => {
    expect(
      shareGptProblems({
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      }),
    ).toEqual([]);
    expect(
      shareGptProblems({
        messages: [
          { role: "system", content: "s" },
          { role: "user", content: "q" },
        ],
      }),
    ).toEqual(["an odd number of turns (1): the last must be a reply"]);
    expect(
      shareGptProblems({
        messages: [
          { role: "assistant", content: "a" },
          { role: "user", content: "q" },
        ],
      }),
    ).toEqual([
      'turn 1 has role "assistant"; expected user or observation',
      'turn 2 has role "user"; expected assistant or function_call',
    ]);
    expect(
      shareGptProblems({
        messages: [
          { role: "user", content: 1 },
          { role: "assistant", content: "a", turn_mask: "no" },
        ],
      }),
    ).toEqual(["turn 1 has no string content", "turn 2 has a turn_mask that is not true or false"]);
    expect(shareGptProblems({ messages: [], tools: [] })).toEqual([
      "there are no user/assistant turns",
      "the tools column is not a JSON string of a list",
    ]);
    expect(
      shareGptProblems({
        messages: [
          { role: "user", content: "q" },
          { role: "function_call", content: "ls" },
        ],
      }),
    ).toEqual(['turn 2 is a function_call whose calls are not {"name", "arguments"} JSON']);
    expect(shareGptProblems([])).toEqual(["the record is not an object"]);
  });
});

describe("llamaFactoryToolsRecord (tools column, function_call/observation roles)", () => {
  it("keeps the text before the calls, puts parallel calls in one block and joins parallel results", () => {
    const run: Message[] = [
      { role: "system", content: "s" },
      { role: "user", content: "task" },
      {
        role: "assistant",
        content: "Looking.",
        reasoning: "r",
        toolCalls: [call("a", "ls"), call("b", "cat x")],
      },
      { role: "tool", toolCallId: "a", name: "terminal", content: "x" },
      {
        role: "tool",
        toolCallId: "b",
        name: "terminal",
        content: "[An error occurred during execution.]\n\nno x",
      },
      { role: "assistant", content: "Approve.", toolCalls: [] },
    ];
    const result = llamaFactoryToolsRecord(run, tools, masks);
    if (!result.ok) throw new Error(result.reason);
    expect(result.record).toEqual({
      system: "s",
      tools:
        '[{"type": "function", "function": {"name": "terminal", "description": "Run.", "parameters": {"type": "object"}}}]',
      messages: [
        { role: "user", content: "task", turn_mask: true },
        {
          role: "function_call",
          content:
            '<think>\nr\n</think>\n\nLooking.\n<tool_call>\n[{"name": "terminal", "arguments": {"command": "ls"}}, {"name": "terminal", "arguments": {"command": "cat x"}}]\n</tool_call>',
          turn_mask: true,
        },
        {
          role: "observation",
          content: "x\n</tool_response>\n<tool_response>\n[An error occurred during execution.]\n\nno x",
          turn_mask: true,
        },
        { role: "assistant", content: "<think>\n\n</think>\n\nApprove.", turn_mask: false },
      ],
    });
    expect(shareGptProblems(result.record)).toEqual([]);
    expect(llamaFactoryToolsRecord(conversation, tools, masks)).toEqual({
      ok: false,
      reason: "a user message right after tool results",
    });
  });
});
