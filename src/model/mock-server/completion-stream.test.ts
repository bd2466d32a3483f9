import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "./server.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

const TOOLS = [{ type: "function", function: { name: "bash", parameters: { type: "object" } } }];

interface Chunk {
  object: string;
  choices: {
    delta: {
      role?: string;
      content?: string | null;
      tool_calls?: { index: number; id?: string; function: { name?: string; arguments: string } }[];
    };
    finish_reason: string | null;
  }[];
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
}

/** Posts a streamed request; the `data:` payloads as sent, the last being `[DONE]`. */
async function stream(body: Record<string, unknown>, key?: string) {
  const response = await fetch(`${server?.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true, ...body }),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, type: null, data: [text] };
  const data = text
    .split("\n\n")
    .filter((event) => event !== "")
    .map((event) => {
      expect(event).toMatch(/^data: /);
      return event.slice("data: ".length);
    });
  return { status: response.status, type: response.headers.get("content-type"), data };
}

/** The streamed content, joined. */
function contentOf(data: string[]): string {
  return data
    .slice(0, -1)
    .flatMap((d) => (JSON.parse(d) as Chunk).choices.map((choice) => choice.delta.content ?? ""))
    .join("");
}

describe("MockOpenAIServer, streamed", () => {
  it("streams content as chunks, then the finish reason, the usage when asked for, and [DONE]", async () => {
    server = await startMockServer({
      script: [{ content: "Fixed it.", usage: { promptTokens: 90, completionTokens: 7, cachedTokens: 30 } }],
    });
    const { status, type, data } = await stream({ stream_options: { include_usage: true } });
    expect(status).toBe(200);
    expect(type).toBe("text/event-stream");
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(new Set(chunks.map((c) => c.object))).toEqual(new Set(["chat.completion.chunk"]));
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(contentOf(data)).toBe("Fixed it.");
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(2);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 90, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 30 } },
    });
  });

  it("streams tool calls as an id-and-name delta and argument deltas, with no usage chunk unless asked", async () => {
    server = await startMockServer({
      script: [
        {
          toolCalls: [
            { name: "bash", arguments: { command: "ls" }, id: "call_1" },
            { name: "bash", arguments: { command: "pwd" } },
          ],
        },
      ],
    });
    const { data } = await stream({ tools: TOOLS });
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.some((c) => c.usage !== undefined)).toBe(false);
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: "assistant", content: null });
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const call of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
      const seen = calls.get(call.index) ?? { arguments: "" };
      if (call.id) seen.id = call.id;
      if (call.function.name) seen.name = call.function.name;
      seen.arguments += call.function.arguments;
      calls.set(call.index, seen);
    }
    expect(calls.get(0)).toEqual({ id: "call_1", name: "bash", arguments: '{"command": "ls"}' });
    expect(calls.get(1)).toMatchObject({ name: "bash", arguments: '{"command": "pwd"}' });
    expect(calls.get(1)?.id).toMatch(/^chatcmpl-tool-/);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("answers recognised side calls outside the script, and still checks the key", async () => {
    server = await startMockServer({
      apiKey: "k-1",
      script: [{ content: "main turn" }],
      sideCall: (body) => (body.tools === undefined ? { content: "A title" } : undefined),
    });
    expect((await stream({}, "wrong")).status).toBe(401);
    const side = await stream({}, "k-1");
    expect(contentOf(side.data)).toBe("A title");
    const main = await stream({ tools: TOOLS }, "k-1");
    expect(contentOf(main.data)).toBe("main turn");
    expect(server.remaining).toBe(0);
  });
});
