import { afterEach, describe, expect, it } from "vitest";
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
    const { json } = await chat({});
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
});
