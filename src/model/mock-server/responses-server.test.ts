import { afterEach, describe, expect, it } from "vitest";
import { type MockResponsesServer, startMockResponsesServer } from "./responses-server.js";

let server: MockResponsesServer | undefined;
afterEach(async () => server?.close());

const KEY = "sk-test-responses";
const TOOLS = [
  { type: "function", name: "exec_command", parameters: { type: "object" } },
  { type: "custom", name: "apply_patch", format: { type: "grammar" } },
];

async function post(body: Record<string, unknown>, key: string | null = KEY) {
  return fetch(`${server?.baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: "gpt-5.5", input: [{ role: "user", content: "hi" }], ...body }),
  });
}

/** The `data:` payloads of a server-sent event stream, checked against their `event:` names. */
function events(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      const data = JSON.parse((dataLine ?? "").replace(/^data: /, "")) as Record<string, unknown>;
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
}

describe("MockResponsesServer", () => {
  it("answers 401 without the key, 404 off the endpoint, 400 without input, and records every request", async () => {
    server = await startMockResponsesServer({ apiKey: KEY, script: [{ content: "never played" }] });
    expect((await post({}, null)).status).toBe(401);
    expect(await (await post({}, "sk-wrong")).json()).toMatchObject({ error: { code: "invalid_api_key" } });
    const get = await fetch(`${server.baseUrl}/responses`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(get.status).toBe(404);
    expect((await post({ input: [] })).status).toBe(400);
    expect(server.requests).toHaveLength(4);
    expect(server.remaining).toBe(1);
  });

  it("renders a function call, a freeform call to a custom tool and usage in the API's shape (not streamed)", async () => {
    server = await startMockResponsesServer({
      apiKey: KEY,
      script: [
        {
          toolCalls: [
            { name: "exec_command", arguments: { cmd: "ls" }, id: "call_1" },
            { name: "apply_patch", arguments: "*** Begin Patch\n*** End Patch\n", id: "call_2" },
          ],
          usage: { promptTokens: 100, completionTokens: 7, cachedTokens: 30, cacheWriteTokens: 10 },
        },
      ],
    });
    const response = (await (await post({ tools: TOOLS })).json()) as Record<string, unknown>;
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-5.5",
      output: [
        { type: "function_call", call_id: "call_1", name: "exec_command", arguments: '{"cmd": "ls"}' },
        {
          type: "custom_tool_call",
          call_id: "call_2",
          name: "apply_patch",
          input: "*** Begin Patch\n*** End Patch\n",
        },
      ],
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 30, cache_write_tokens: 10 },
        output_tokens: 7,
        total_tokens: 107,
      },
    });
  });

  it("streams reasoning, text and a call as events whose deltas add up to the items, ending with response.completed", async () => {
    server = await startMockResponsesServer({
      apiKey: KEY,
      script: [
        {
          reasoning: "think",
          content: "Looking.",
          toolCalls: [{ name: "exec_command", arguments: { cmd: "pwd" } }],
          usage: { promptTokens: 50, completionTokens: 5 },
        },
      ],
    });
    const response = await post({ stream: true, tools: TOOLS });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const stream = events(await response.text());
    expect(stream[0]?.type).toBe("response.created");
    const last = stream.at(-1) as {
      type: string;
      response: { output: Array<{ type: string }>; usage: unknown };
    };
    expect(last.type).toBe("response.completed");
    expect(last.response.output.map((item) => item.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(last.response.usage).toMatchObject({ input_tokens: 50, output_tokens: 5 });
    const joined = (type: string) =>
      stream
        .filter((event) => event.type === type)
        .map((event) => event.delta)
        .join("");
    expect(joined("response.reasoning_summary_text.delta")).toBe("think");
    expect(joined("response.output_text.delta")).toBe("Looking.");
    expect(joined("response.function_call_arguments.delta")).toBe('{"cmd": "pwd"}');
    const done = stream.filter((event) => event.type === "response.output_item.done");
    expect(done.map((event) => event.item)).toEqual(last.response.output);
    expect(stream.map((event) => event.sequence_number)).toEqual(stream.map((_, index) => index));
  });

  it("plays faults and says when the script is exhausted", async () => {
    server = await startMockResponsesServer({ apiKey: KEY, script: [{ fault: "http", status: 500 }] });
    expect((await post({})).status).toBe(500);
    const exhausted = await post({});
    expect(exhausted.status).toBe(400);
    expect(await exhausted.json()).toMatchObject({
      error: { message: "The mock script is exhausted (request 2)." },
    });
  });
});
