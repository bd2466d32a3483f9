import { describe, expect, it } from "vitest";
import type { ToolSpec } from "../types.js";
import { renderHermesAssistant } from "./hermes.js";
import { parseTextToolCalls } from "./parse.js";
import { splitThink } from "./think.js";
import { renderXmlFunctionAssistant } from "./xml-function.js";

const tools: ToolSpec[] = [
  {
    name: "terminal",
    description: "Run a command.",
    parameters: {
      type: "object",
      properties: {
        command: { type: "string" },
        timeout: { type: "integer" },
        is_input: { type: "boolean" },
        env: { type: "object" },
      },
      required: ["command"],
    },
  },
];

interface Case {
  name: string;
  text: string;
  content: string;
  calls: Array<[name: string, args: string]>;
  repaired?: boolean[];
  problems?: number;
}

// Shapes seen from Qwen3, SWE-Review, Qwen3-Coder, Hermes and small local models, with and without a parser.
const cases: Case[] = [
  {
    name: "one call after a thought, as Qwen3 writes it",
    text: 'I will list the files.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "ls -la"}}\n</tool_call>',
    content: "I will list the files.",
    calls: [["terminal", '{"command": "ls -la"}']],
  },
  {
    name: "two calls in two blocks",
    text: '<tool_call>\n{"name": "a", "arguments": {"x": 1}}\n</tool_call>\n<tool_call>\n{"name": "b", "arguments": {"y": 2}}\n</tool_call>',
    content: "",
    calls: [
      ["a", '{"x": 1}'],
      ["b", '{"y": 2}'],
    ],
  },
  {
    name: "plain answer, no calls",
    text: "The patch is correct.",
    content: "The patch is correct.",
    calls: [],
  },
  {
    name: "empty arguments object",
    text: '<tool_call>\n{"name": "list_files", "arguments": {}}\n</tool_call>',
    content: "",
    calls: [["list_files", "{}"]],
  },
  {
    name: "missing arguments key is {} (vLLM gives up on these)",
    text: '<tool_call>\n{"name": "list_files"}\n</tool_call>',
    content: "",
    calls: [["list_files", "{}"]],
  },
  {
    name: "null and empty-string arguments are {}",
    text: '<tool_call>{"name": "a", "arguments": null}</tool_call><tool_call>{"name": "b", "arguments": ""}</tool_call>',
    content: "",
    calls: [
      ["a", "{}"],
      ["b", "{}"],
    ],
  },
  {
    name: "arguments as a JSON string (OpenAI style) are unwrapped",
    text: '<tool_call>\n{"name": "terminal", "arguments": "{\\"command\\": \\"pwd\\"}"}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "pwd"}']],
  },
  {
    name: "a literal </tool_call> inside an argument string",
    text: '<tool_call>\n{"name": "file_editor", "arguments": {"path": "t.py", "file_text": "s = \\"</tool_call>\\"\\n"}}\n</tool_call>',
    content: "",
    calls: [["file_editor", '{"path": "t.py", "file_text": "s = \\"</tool_call>\\"\\n"}']],
  },
  {
    name: "unclosed last block (generation stopped at the stop token)",
    text: 'Done.\n<tool_call>\n{"name": "finish", "arguments": {"message": "ok"}}\n',
    content: "Done.",
    calls: [["finish", '{"message": "ok"}']],
  },
  {
    name: "unclosed last block cut off mid-JSON is repaired",
    text: '<tool_call>\n{"name": "finish", "arguments": {"message": "all good',
    content: "",
    calls: [["finish", '{"message": "all good"}']],
    repaired: [true],
  },
  {
    name: "text before and after the call",
    text: 'First.\n<tool_call>\n{"name": "a", "arguments": {}}\n</tool_call>\nThen I wait.',
    content: "First.\nThen I wait.",
    calls: [["a", "{}"]],
  },
  {
    name: "trailing comma is repaired",
    text: '<tool_call>\n{"name": "terminal", "arguments": {"command": "ls",},}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "ls"}']],
    repaired: [true],
  },
  {
    name: "Python dict quoting is repaired",
    text: "<tool_call>\n{'name': 'terminal', 'arguments': {'command': 'git status'}}\n</tool_call>",
    content: "",
    calls: [["terminal", '{"command": "git status"}']],
    repaired: [true],
  },
  {
    name: "a missing closing brace before the closing tag is repaired",
    text: '<tool_call>\n{"name": "terminal", "arguments": {"command": "make test"}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "make test"}']],
    repaired: [true],
  },
  {
    name: "raw newlines inside a string are repaired",
    text: '<tool_call>\n{"name": "terminal", "arguments": {"command": "cat <<EOF\nhi\nEOF"}}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "cat <<EOF\\nhi\\nEOF"}']],
    repaired: [true],
  },
  {
    name: "a Markdown code fence inside the block",
    text: '<tool_call>\n```json\n{"name": "terminal", "arguments": {"command": "ls"}}\n```\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "ls"}']],
  },
  {
    name: "two JSON objects in one block",
    text: '<tool_call>\n{"name": "a", "arguments": {}}\n{"name": "b", "arguments": {"k": "v"}}\n</tool_call>',
    content: "",
    calls: [
      ["a", "{}"],
      ["b", '{"k": "v"}'],
    ],
  },
  {
    name: "a list of calls in one block",
    text: '<tool_call>[{"name": "a", "arguments": {"n": 1}}, {"name": "b"}]</tool_call>',
    content: "",
    calls: [
      ["a", '{"n": 1}'],
      ["b", "{}"],
    ],
  },
  {
    name: "`parameters` instead of `arguments`",
    text: '<tool_call>\n{"name": "terminal", "parameters": {"command": "id"}}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "id"}']],
  },
  {
    name: "the model's own argument text is kept verbatim (spacing, non-ASCII, floats)",
    text: '<tool_call>\n{"name": "t", "arguments": {"a":  1.0, "s": "naïve “q”"}}\n</tool_call>',
    content: "",
    calls: [["t", '{"a":  1.0, "s": "naïve “q”"}']],
  },
  {
    name: "no closing tag between two blocks",
    text: '<tool_call>\n{"name": "a", "arguments": {}}\n<tool_call>\n{"name": "b", "arguments": {}}\n</tool_call>',
    content: "",
    calls: [
      ["a", "{}"],
      ["b", "{}"],
    ],
  },
  {
    name: "an extra closing brace is repaired",
    text: '<tool_call>\n{"name": "terminal", "arguments": {"command": "ls"}}}\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "ls"}']],
    repaired: [true],
  },
  {
    name: "a block without a tool name stays in the text as a problem",
    text: 'Hmm.\n<tool_call>\n{"arguments": {"command": "ls"}}\n</tool_call>',
    content: 'Hmm.\n<tool_call>\n{"arguments": {"command": "ls"}}\n</tool_call>',
    calls: [],
    problems: 1,
  },
  {
    name: "qwen3_coder XML call, values typed by the tool schema",
    text: "Let me run it.\n<tool_call>\n<function=terminal>\n<parameter=command>\npython -c 'print(1)'\n</parameter>\n<parameter=timeout>\n30\n</parameter>\n<parameter=is_input>\nfalse\n</parameter>\n</function>\n</tool_call>",
    content: "Let me run it.",
    calls: [["terminal", `{"command": "python -c 'print(1)'", "timeout": 30, "is_input": false}`]],
  },
  {
    name: "qwen3_coder multi-line string value and an object value",
    text: '<tool_call>\n<function=terminal>\n<parameter=command>\nline one\nline two\n</parameter>\n<parameter=env>\n{"A": "1"}\n</parameter>\n</function>\n</tool_call>',
    content: "",
    calls: [["terminal", '{"command": "line one\\nline two", "env": {"A": "1"}}']],
  },
  {
    name: "bare <function=…> without <tool_call> (OpenHands text fallback)",
    text: "I'll check.\n\n<function=terminal>\n<parameter=command>ls</parameter>\n</function>",
    content: "I'll check.",
    calls: [["terminal", '{"command": "ls"}']],
  },
  {
    name: "qwen3_coder parameter without its closing tag",
    text: "<tool_call>\n<function=terminal>\n<parameter=command>\necho hi\n<parameter=timeout>\n5\n</function>\n</tool_call>",
    content: "",
    calls: [["terminal", '{"command": "echo hi", "timeout": 5}']],
    repaired: [true],
  },
  {
    name: "trailing comma with a literal </tool_call> in a string",
    text: '<tool_call>{"name": "w", "arguments": {"text": "a </tool_call> b",}}</tool_call>',
    content: "",
    calls: [["w", '{"text": "a </tool_call> b"}']],
    repaired: [true],
  },
];

describe("parseTextToolCalls", () => {
  it("has at least 20 real-world-shaped cases", () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases)("$name", ({ text, content, calls, repaired, problems }) => {
    const parsed = parseTextToolCalls(text, tools);
    expect(parsed.content).toBe(content);
    expect(parsed.calls.map((call) => [call.name, call.arguments])).toEqual(calls);
    for (const call of parsed.calls) expect(JSON.parse(call.arguments)).toBeTypeOf("object");
    if (repaired) expect(parsed.calls.map((call) => call.repaired)).toEqual(repaired);
    expect(parsed.problems).toHaveLength(problems ?? 0);
  });

  it("reads back what the Qwen3 and Qwen3-Coder renderers write", () => {
    const calls = [
      { name: "terminal", arguments: '{"command": "ls", "timeout": 10}' },
      { name: "terminal", arguments: '{"command": "cat a\\nb"}' },
    ];
    for (const render of [renderHermesAssistant, renderXmlFunctionAssistant]) {
      const parsed = parseTextToolCalls(render("Looking.", calls), tools);
      expect(parsed.content).toBe("Looking.");
      expect(parsed.calls.map((call) => JSON.parse(call.arguments))).toEqual(
        calls.map((call) => JSON.parse(call.arguments)),
      );
    }
  });
});

describe("splitThink", () => {
  it.each([
    ["<think>\nplan\n</think>\n\nanswer", "answer", "plan"],
    ["plan only closed\n</think>\n\nanswer", "answer", "plan only closed"],
    ["<think>\ncut off mid-thought", "", "cut off mid-thought"],
    ["<think>\n\n</think>\n\nanswer", "answer", undefined],
    ["no thinking here", "no thinking here", undefined],
    [
      "The tag <think> appears </think> in prose? no: <think>x",
      "The tag <think> appears </think> in prose? no: <think>x",
      undefined,
    ],
  ])("%j", (text, content, reasoning) => {
    const split = splitThink(text);
    expect(split.content).toBe(content);
    expect(split.reasoning).toBe(reasoning);
  });
});
