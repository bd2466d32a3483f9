import { afterEach, describe, expect, it } from "vitest";
import type { AnsweredRequest } from "./http.js";
import { type MockOpenAIServer, startMockServer } from "./server.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

interface Answer {
  object?: string;
  message?: string;
  code?: number;
  usage: { prompt_tokens: number };
  choices: {
    finish_reason: string;
    message: {
      content: string | null;
      reasoning?: string;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[];
    };
  }[];
}

const TOOLS = [{ type: "function", function: { name: "terminal", parameters: { type: "object" } } }];

async function chat(body: Record<string, unknown>) {
  const response = await fetch(`${server?.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], ...body }),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

describe("MockOpenAIServer", () => {
  it("answers tool calls natively as vLLM's hermes parser does", async () => {
    server = await startMockServer({
      script: [
        { toolCalls: [{ name: "terminal", arguments: { command: "ls", is_input: false, timeout: 1.5 } }] },
      ],
    });
    const { json } = await chat({ tools: TOOLS });
    const choice = json.choices[0];
    if (!choice) throw new Error("no choice");
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls?.[0]?.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    expect(choice.message.tool_calls?.[0]?.function.arguments).toBe(
      '{"command": "ls", "is_input": false, "timeout": 1.5}',
    );
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("answers with raw <tool_call> text in content in hermes mode", async () => {
    server = await startMockServer({
      mode: "hermes",
      script: [
        {
          content: "I'll check.",
          reasoning: "hmm",
          toolCalls: [
            { name: "terminal", arguments: { command: "cat /review_data/problem_statement.txt" } },
            { name: "think", arguments: '{"thought": "ok"}' },
          ],
        },
      ],
    });
    const { json } = await chat({});
    const message = json.choices[0]?.message;
    expect(json.choices[0]?.finish_reason).toBe("stop");
    expect(message?.tool_calls).toBeUndefined();
    expect(message?.reasoning).toBe("hmm");
    expect(message?.content).toBe(
      'I\'ll check.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "cat /review_data/problem_statement.txt"}}\n</tool_call>\n<tool_call>\n{"name": "think", "arguments": {"thought": "ok"}}\n</tool_call>',
    );
  });

  it("lists served models, 404s other models in vLLM's shape, and 400s when the script is exhausted", async () => {
    server = await startMockServer({ models: ["a", "b"], script: [] });
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(["a", "b"]);
    const missing = await chat({ model: "c" });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      object: "error",
      message: "The model `c` does not exist.",
      code: 404,
    });
    const exhausted = await chat({ model: "a" });
    expect(exhausted.status).toBe(400);
    expect(exhausted.json.message).toMatch(/exhausted/);
  });

  it("falls back to raw text for every call when one call's JSON is invalid (all or nothing)", async () => {
    server = await startMockServer({
      script: [
        {
          content: "Two calls.",
          toolCalls: [
            { name: "terminal", arguments: { command: "ls" } },
            { name: "terminal", arguments: '{"command": "cat x"' },
          ],
        },
        { content: '<tool_call>\n{"name": "terminal"}\n</tool_call>' },
      ],
    });
    const invalid = await chat({ tools: TOOLS });
    expect(invalid.json.choices[0]?.finish_reason).toBe("stop");
    expect(invalid.json.choices[0]?.message.tool_calls).toBeUndefined();
    expect(invalid.json.choices[0]?.message.content).toBe(
      'Two calls.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "ls"}}\n</tool_call>\n<tool_call>\n{"name": "terminal", "arguments": {"command": "cat x"}\n</tool_call>',
    );
    // vLLM reads call["arguments"]: a call without arguments fails the whole turn too
    const missing = await chat({ tools: TOOLS });
    expect(missing.json.choices[0]?.message.tool_calls).toBeUndefined();
    expect(missing.json.choices[0]?.message.content).toContain('{"name": "terminal"}');
  });

  it("keeps the text before the first call as content, newline and all, and re-dumps arguments Python-style", async () => {
    server = await startMockServer({
      script: [
        { content: "Looking.", toolCalls: [{ name: "terminal", arguments: '{"command":"ls","n":1}' }] },
      ],
    });
    const { json } = await chat({ tools: TOOLS });
    expect(json.choices[0]?.message.content).toBe("Looking.\n");
    expect(json.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe('{"command": "ls", "n": 1}');
  });

  it("parses no calls when the request has no tools or tool_choice none", async () => {
    server = await startMockServer({
      script: [
        { toolCalls: [{ name: "terminal", arguments: {} }] },
        { toolCalls: [{ name: "terminal", arguments: {} }] },
      ],
    });
    for (const body of [{}, { tools: TOOLS, tool_choice: "none" }]) {
      const { json } = await chat(body);
      expect(json.choices[0]?.message.tool_calls).toBeUndefined();
      expect(json.choices[0]?.message.content).toBe(
        '<tool_call>\n{"name": "terminal", "arguments": {}}\n</tool_call>',
      );
    }
  });

  it("puts reasoning in reasoning, reasoning_content, or (without a reasoning parser) <think> in content", async () => {
    const turn = { reasoning: "plan", content: "answer", finishReason: "length" as const };
    for (const [options, expected] of [
      [{}, { reasoning: "plan", content: "answer" }],
      [{ reasoningField: "reasoning_content" as const }, { reasoning_content: "plan", content: "answer" }],
      [{ noReasoningParser: true }, { content: "<think>\nplan\n</think>\n\nanswer" }],
    ] as const) {
      server = await startMockServer({ ...options, script: [turn] });
      const { json } = await chat({});
      expect(json.choices[0]?.message).toEqual({ role: "assistant", ...expected });
      expect(json.choices[0]?.finish_reason).toBe("length");
      await server.close();
    }
    server = undefined;
  });

  it("without a tool parser, rejects tools as vLLM does, or ignores them like llama.cpp without --jinja", async () => {
    server = await startMockServer({ mode: "hermes", script: [{ content: "x" }] });
    const rejected = await chat({ tools: TOOLS });
    expect(rejected.status).toBe(400);
    expect(rejected.json.message).toBe(
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
    );
    await server.close();
    server = await startMockServer({
      mode: "hermes",
      toolsWithoutParser: "ignore",
      script: [{ toolCalls: [{ name: "terminal", arguments: { command: "ls" } }] }],
    });
    const ignored = await chat({ tools: TOOLS });
    expect(ignored.json.choices[0]?.message.content).toContain("<tool_call>");
  });

  it("reports max_model_len and refuses response_format when told to", async () => {
    server = await startMockServer({ contextLength: 32_768, rejectResponseFormat: true, script: [] });
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as {
      data: { max_model_len: number }[];
    };
    expect(models.data[0]?.max_model_len).toBe(32_768);
    const refused = await chat({
      response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } },
    });
    expect(refused.status).toBe(400);
  });

  it("reports each request once answered, with its status, whether the answer was whole, and no body", async () => {
    server = await startMockServer({
      script: [
        { content: "hello" },
        { fault: "http", status: 503 },
        { fault: "reset" },
        { fault: "truncate" },
      ],
    });
    const answered: AnsweredRequest[] = [];
    server.onAnswered = (request) => answered.push(request);
    const finished = (count: number) =>
      new Promise<void>((resolve) => {
        const poll = () => (answered.length >= count ? resolve() : setTimeout(poll, 10));
        poll();
      });
    await fetch(`${server.baseUrl}/models`);
    await chat({});
    await chat({});
    await chat({}).catch(() => undefined); // reset: no answer
    await chat({}).catch(() => undefined); // truncate: half an answer
    await finished(5);
    expect(
      answered.map(({ method, path, status, complete, remaining }) => ({
        method,
        path,
        status,
        complete,
        remaining,
      })),
    ).toEqual([
      { method: "GET", path: "/v1/models", status: 200, complete: true, remaining: 4 },
      { method: "POST", path: "/v1/chat/completions", status: 200, complete: true, remaining: 3 },
      { method: "POST", path: "/v1/chat/completions", status: 503, complete: true, remaining: 2 },
      { method: "POST", path: "/v1/chat/completions", status: undefined, complete: false, remaining: 1 },
      { method: "POST", path: "/v1/chat/completions", status: 200, complete: false, remaining: 0 },
    ]);
    expect(Object.keys(answered[1] ?? {}).sort()).toEqual([
      "complete",
      "method",
      "ms",
      "path",
      "remaining",
      "status",
    ]);
  });
});
