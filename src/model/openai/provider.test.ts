import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../../common/clock.js";
import {
  AbortedError,
  AuthenticationError,
  ContextLengthError,
  MalformedResponseError,
  ModelNotFoundError,
  RequestTimeoutError,
} from "../errors.js";
import { type MockOpenAIServer, type MockServerOptions, startMockServer } from "../mock-server/server.js";
import { DEFAULT_RETRY_POLICY } from "../retry.js";
import type { ModelRequest } from "../types.js";
import { OpenAICompatibleModel, type OpenAICompatibleModelOptions } from "./provider.js";

const request: ModelRequest = {
  messages: [
    { role: "system", content: "You are a test." },
    { role: "user", content: "List the files." },
  ],
  tools: [
    {
      name: "terminal",
      description: "Run a command.",
      parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
    },
  ],
};

let server: MockOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: MockServerOptions, model: Partial<OpenAICompatibleModelOptions> = {}) {
  server = await startMockServer(options);
  const clock = new ManualClock(Date.now());
  const provider = new OpenAICompatibleModel({
    name: "mock-model",
    baseUrl: server.baseUrl,
    settings: { reasoningRoundTrip: true },
    timeoutMs: 5_000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 3 },
    clock,
    ...model,
  });
  return { server, provider, clock };
}

describe("OpenAICompatibleModel", () => {
  it("reads native tool calls with vLLM's argument text verbatim, reasoning and usage with cost", async () => {
    const { provider } = await setup(
      {
        script: [
          {
            content: "Let me look.",
            reasoning: "I should list files first.",
            toolCalls: [{ name: "terminal", arguments: '{"command":  "ls -la", "note": "naïve"}' }],
            usage: { promptTokens: 1000, completionTokens: 200, cachedTokens: 400 },
          },
        ],
      },
      { pricing: { input: 2, cachedInput: 0.5, output: 8 } },
    );
    const turn = await provider.complete(request);
    expect(turn.content).toBe("Let me look.");
    expect(turn.reasoning).toBe("I should list files first.");
    expect(turn.finishReason).toBe("tool_calls");
    expect(turn.toolCallSource).toBe("native");
    expect(turn.toolCalls).toHaveLength(1);
    expect(turn.toolCalls[0]?.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    // vLLM re-dumps the model's JSON Python-style; we keep that text (JSON.stringify would drop the spaces)
    expect(turn.toolCalls[0]?.arguments).toBe('{"command": "ls -la", "note": "naïve"}');
    expect(turn.usage).toEqual({
      promptTokens: 1000,
      completionTokens: 200,
      cachedTokens: 400,
      costUsd: (600 * 2 + 400 * 0.5 + 200 * 8) / 1e6,
    });
  });

  it("reads reasoning from reasoning_content (older vLLM) and sends it back as reasoning_content", async () => {
    const { provider, server } = await setup({
      reasoningField: "reasoning_content",
      script: [{ reasoning: "thinking", content: "done" }, { content: "again" }],
    });
    const first = await provider.complete(request);
    expect(first.reasoning).toBe("thinking");
    await provider.complete({
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: first.content, reasoning: "thinking", toolCalls: [] },
      ],
    });
    const sent = JSON.parse(server.chatBodies[1] ?? "{}");
    expect(sent.messages[2]).toEqual({ role: "assistant", content: "done", reasoning_content: "thinking" });
  });

  it("drops reasoning from requests when the round trip is off", async () => {
    const { provider, server } = await setup(
      { script: [{ content: "x" }] },
      { settings: { reasoningRoundTrip: false } },
    );
    await provider.complete({
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: "a", reasoning: "secret thoughts", toolCalls: [] },
      ],
    });
    expect(server.chatBodies[0]).not.toContain("secret thoughts");
  });

  it("retries 500, 500, then succeeds once, counting usage once", async () => {
    const { provider, server, clock } = await setup({
      script: [
        { fault: "http", status: 500 },
        { fault: "http", status: 503 },
        { content: "ok", usage: { promptTokens: 10, completionTokens: 5 } },
      ],
    });
    const turn = await provider.complete(request);
    expect(turn.content).toBe("ok");
    expect(turn.usage.promptTokens).toBe(10);
    expect(turn.usage.completionTokens).toBe(5);
    expect(server.chatBodies).toHaveLength(3);
    expect(new Set(server.chatBodies).size).toBe(1);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("honours Retry-After on 429", async () => {
    const { provider, clock } = await setup({
      script: [{ fault: "http", status: 429, headers: { "retry-after": "7" } }, { content: "ok" }],
    });
    await provider.complete(request);
    expect(clock.sleeps).toEqual([7000]);
  });

  it("retries a truncated body and a reset connection", async () => {
    const { provider, server } = await setup({
      script: [{ fault: "truncate" }, { fault: "reset" }, { content: "whole" }],
    });
    const turn = await provider.complete(request);
    expect(turn.content).toBe("whole");
    expect(server.chatBodies).toHaveLength(3);
  });

  it("times out a slow answer per request and retries", async () => {
    const { provider } = await setup(
      // Generous margins: the retry must come back within the timeout on a loaded machine too.
      { script: [{ fault: "delay", ms: 8_000, turn: { content: "late" } }, { content: "on time" }] },
      { timeoutMs: 2_000 },
    );
    const turn = await provider.complete(request);
    expect(turn.content).toBe("on time");
  });

  it("ends with a RequestTimeoutError when every attempt times out", async () => {
    const { provider } = await setup(
      {
        script: [
          { fault: "delay", ms: 1000 },
          { fault: "delay", ms: 1000 },
        ],
      },
      { timeoutMs: 100, retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 1 } },
    );
    await expect(provider.complete(request)).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it("gives typed, actionable errors for 401, unknown model and context length, without retrying", async () => {
    const auth = await setup(
      { apiKey: "right-key-123", script: [{ content: "x" }] },
      { apiKey: "wrong-key-456" },
    );
    const authError = await auth.provider.complete(request).catch((error: unknown) => error);
    expect(authError).toBeInstanceOf(AuthenticationError);
    expect((authError as Error).message).toMatch(/SWE_REVIEW_API_KEY/);
    expect((authError as Error).message).not.toContain("wrong-key-456");
    expect(auth.server.chatBodies).toHaveLength(1);
    await auth.server.close();

    const missing = await setup({ models: ["served-model"], script: [{ content: "x" }] });
    const missingError = await missing.provider.complete(request).catch((error: unknown) => error);
    expect(missingError).toBeInstanceOf(ModelNotFoundError);
    expect((missingError as Error).message).toMatch(/mock-model.*not found.*\/models/s);
    expect(missing.server.chatBodies).toHaveLength(1);
    await missing.server.close();

    const context = await setup({ contextLength: 10, script: [{ content: "x" }] });
    const contextError = await context.provider.complete(request).catch((error: unknown) => error);
    expect(contextError).toBeInstanceOf(ContextLengthError);
    expect(context.server.chatBodies).toHaveLength(1);
  });

  it("reports a malformed response after retrying it", async () => {
    const { provider, server } = await setup(
      { script: [{ fault: "malformed" }, { fault: "malformed", body: "not json at all" }] },
      { retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 1 } },
    );
    await expect(provider.complete(request)).rejects.toBeInstanceOf(MalformedResponseError);
    expect(server.chatBodies).toHaveLength(2);
  });

  it("aborts mid-request at once", async () => {
    const { provider } = await setup(
      { script: [{ fault: "delay", ms: 5000, turn: { content: "late" } }] },
      { clock: systemClock },
    );
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(provider.complete(request, controller.signal)).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("sends the API key as a bearer token", async () => {
    const { provider, server } = await setup(
      { apiKey: "sk-test-abcdef", script: [{ content: "hi" }] },
      { apiKey: "sk-test-abcdef" },
    );
    await provider.complete(request);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test-abcdef");
  });
});

describe("OpenAICompatibleModel with calls and reasoning left in the text", () => {
  it("reads calls from content when vLLM's parser gave up, repairing the JSON", async () => {
    const { provider } = await setup({
      script: [
        {
          content: "Two reads.",
          toolCalls: [
            { name: "terminal", arguments: { command: "ls" } },
            { name: "terminal", arguments: '{"command": "cat a.py",}' },
          ],
        },
      ],
    });
    const turn = await provider.complete(request);
    expect(turn.toolCallSource).toBe("text");
    expect(turn.finishReason).toBe("tool_calls");
    expect(turn.content).toBe("Two reads.");
    expect(turn.toolCalls.map((call) => [call.name, call.arguments])).toEqual([
      ["terminal", '{"command": "ls"}'],
      ["terminal", '{"command": "cat a.py"}'],
    ]);
    for (const call of turn.toolCalls) expect(call.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
  });

  it("never runs a call repaired from an answer cut off by the length limit", async () => {
    const { provider } = await setup({
      script: [
        {
          toolCalls: [{ name: "terminal", arguments: '{"command": "cat > big.py <<EOF\nline 1\nline' }],
          finishReason: "length",
        },
      ],
    });
    const turn = await provider.complete(request);
    expect(turn.finishReason).toBe("length");
    expect(turn.toolCalls).toHaveLength(1);
    // the model's own text, not valid JSON: the agent answers the call with an error instead of running it
    expect(() => JSON.parse(turn.toolCalls[0]?.arguments ?? "")).toThrow();
    expect(turn.toolCalls[0]?.arguments).toContain("line 1\nline");
  });

  it("splits <think> off the content when the server has no reasoning parser", async () => {
    const { provider } = await setup({
      noReasoningParser: true,
      script: [
        {
          reasoning: "Check the tests first.",
          toolCalls: [{ name: "terminal", arguments: { command: "pytest" } }],
        },
      ],
    });
    const turn = await provider.complete(request);
    expect(turn.reasoning).toBe("Check the tests first.");
    expect(turn.content).toBe("");
    expect(turn.toolCalls[0]?.arguments).toBe('{"command": "pytest"}');
  });
});

describe("OpenAICompatibleModel on a long run", () => {
  it("leaves no listeners behind on the caller's abort signal", async () => {
    const { provider } = await setup({ script: Array.from({ length: 30 }, () => ({ content: "x" })) });
    const controller = new AbortController();
    for (let i = 0; i < 30; i++) await provider.complete(request, controller.signal);
    expect(EventEmitter.getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
