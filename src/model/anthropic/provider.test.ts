import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../common/clock.js";
import { AuthenticationError, BadRequestError, ContextLengthError, ModelNotFoundError } from "../errors.js";
import {
  type MockAnthropicOptions,
  type MockAnthropicServer,
  startMockAnthropicServer,
} from "../mock-server/anthropic-server.js";
import { DEFAULT_RETRY_POLICY } from "../retry.js";
import type { Message, ModelRequest } from "../types.js";
import { AnthropicModel, type AnthropicModelOptions } from "./provider.js";

const KEY = "sk-ant-test-0123456789";
const tools = [
  {
    name: "terminal",
    description: "Run a command.",
    parameters: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
];
const start: Message[] = [
  { role: "system", content: "You review patches." },
  { role: "user", content: "Review the patch." },
];

let server: MockAnthropicServer | undefined;
afterEach(async () => server?.close());

async function setup(options: MockAnthropicOptions, model: Partial<AnthropicModelOptions> = {}) {
  server = await startMockAnthropicServer({ apiKey: KEY, ...options });
  const clock = new ManualClock(Date.now());
  const provider = new AnthropicModel({
    name: "claude-sonnet-4-6",
    baseUrl: server.baseUrl,
    apiKey: KEY,
    settings: { maxTokens: 4096, thinkingBudget: 2048, promptCaching: true, stream: false },
    timeoutMs: 5_000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 2 },
    pricing: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
    clock,
    ...model,
  });
  return { server, provider, clock };
}

describe.each([false, true])("AnthropicModel over HTTP (stream: %s)", (stream) => {
  it("round-trips thinking blocks with tool use, caches the prefix and counts cache reads and writes", async () => {
    const { provider, server } = await setup(
      {
        script: [
          {
            reasoning: "Run the tests first.",
            content: "Running the tests.",
            toolCalls: [{ name: "terminal", arguments: { command: "pytest -q" } }],
            usage: { promptTokens: 3000, completionTokens: 120, cachedTokens: 0, cacheWriteTokens: 2800 },
          },
          {
            reasoning: "All pass.",
            content: "The patch is correct.",
            usage: { promptTokens: 3300, completionTokens: 40, cachedTokens: 2800, cacheWriteTokens: 400 },
          },
        ],
      },
      { settings: { maxTokens: 4096, thinkingBudget: 2048, promptCaching: true, stream } },
    );
    const first = await provider.complete({ messages: start, tools });
    expect(first.reasoning).toBe("Run the tests first.");
    expect(first.thinkingBlocks?.[0]).toMatchObject({ type: "thinking", thinking: "Run the tests first." });
    expect(first.content).toBe("Running the tests.");
    expect(first.finishReason).toBe("tool_calls");
    expect(first.toolCalls).toEqual([
      { id: expect.stringMatching(/^toolu_/), name: "terminal", arguments: '{"command":"pytest -q"}' },
    ]);
    expect(first.usage).toEqual({
      promptTokens: 3000,
      completionTokens: 120,
      cachedTokens: 0,
      cacheWriteTokens: 2800,
      costUsd: (200 * 3 + 2800 * 3.75 + 120 * 15) / 1e6,
    });

    const call = first.toolCalls[0];
    if (!call) throw new Error("no call");
    const second = await provider.complete({
      messages: [
        ...start,
        {
          role: "assistant",
          content: first.content,
          toolCalls: first.toolCalls,
          ...(first.reasoning ? { reasoning: first.reasoning } : {}),
          ...(first.thinkingBlocks ? { thinkingBlocks: first.thinkingBlocks } : {}),
        },
        { role: "tool", toolCallId: call.id, name: "terminal", content: "3 passed" },
      ],
      tools,
    });
    expect(second.content).toBe("The patch is correct.");
    expect(second.finishReason).toBe("stop");
    expect(second.usage.cachedTokens).toBe(2800);

    const body = JSON.parse(server.messageBodies[1] ?? "{}");
    expect(body.stream ?? false).toBe(stream);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(body.system).toEqual([
      { type: "text", text: "You review patches.", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.messages.map((message: { role: string }) => message.role)).toEqual([
      "user",
      "assistant",
      "user",
    ]);
    expect(body.messages[1].content.map((block: { type: string }) => block.type)).toEqual([
      "thinking",
      "text",
      "tool_use",
    ]);
    expect(body.messages[1].content[0].signature).toBe(
      first.thinkingBlocks?.[0]?.type === "thinking" && first.thinkingBlocks[0].signature,
    );
    expect(body.messages[2].content).toEqual([
      {
        type: "tool_result",
        tool_use_id: call.id,
        content: "3 passed",
        cache_control: { type: "ephemeral" },
      },
    ]);
    expect(body.messages[0].content[0].cache_control).toEqual({ type: "ephemeral" });
    const headers = server.requests[0]?.headers ?? {};
    expect([headers["x-api-key"], headers.authorization]).toContain(
      headers["x-api-key"] ? KEY : `Bearer ${KEY}`,
    );
    expect(server.requests[0]?.headers["anthropic-version"]).toBeTruthy();
  });
});

describe("AnthropicModel", () => {
  it("is refused by the API when thinking blocks are not sent back (which is why we keep them)", async () => {
    const { provider } = await setup({ script: [{ content: "x" }] });
    const error = await provider
      .complete({
        messages: [
          ...start,
          {
            role: "assistant",
            content: "",
            toolCalls: [{ id: "toolu_1", name: "terminal", arguments: "{}" }],
          },
          { role: "tool", toolCallId: "toolu_1", name: "terminal", content: "ok" },
        ],
        tools,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/must start with a thinking block/);
  });

  it("gives structured output through a forced tool, without thinking", async () => {
    const { provider, server } = await setup({
      script: [{ content: '{"decision": "approve", "confidence": 0.9}' }],
    });
    const request: ModelRequest = {
      messages: start,
      tools,
      options: {
        responseFormat: {
          name: "review_report",
          schema: { type: "object", properties: { decision: { type: "string" } }, required: ["decision"] },
        },
      },
    };
    const turn = await provider.complete(request);
    expect(JSON.parse(turn.content)).toEqual({ decision: "approve", confidence: 0.9 });
    expect(turn.toolCalls).toEqual([]);
    const body = JSON.parse(server.messageBodies[0] ?? "{}");
    expect(body.tool_choice).toEqual({ type: "tool", name: "review_report" });
    expect(body.tools.map((tool: { name: string }) => tool.name)).toEqual(["terminal", "review_report"]);
    expect(body.thinking).toBeUndefined();
  });

  it("retries 529 overloaded and 429 with retry-after, then succeeds", async () => {
    const { provider, server, clock } = await setup({
      script: [
        { fault: "http", status: 529 },
        { fault: "http", status: 429, headers: { "retry-after": "3" } },
        { content: "ok" },
      ],
    });
    const turn = await provider.complete({ messages: start, tools: [] });
    expect(turn.content).toBe("ok");
    expect(server.messageBodies).toHaveLength(3);
    expect(clock.sleeps[1]).toBe(3000);
  });

  it("gives the same typed, actionable errors as the OpenAI provider, without leaking the key", async () => {
    const auth = await setup({ script: [{ content: "x" }] }, { apiKey: "sk-ant-wrong-999999" });
    const authError = await auth.provider.complete({ messages: start, tools: [] }).catch((e: unknown) => e);
    expect(authError).toBeInstanceOf(AuthenticationError);
    expect((authError as Error).message).toMatch(/ANTHROPIC_API_KEY/);
    expect((authError as Error).message).not.toContain("sk-ant-wrong-999999");
    await auth.server.close();

    const missing = await setup({ models: ["claude-opus-4-5"], script: [{ content: "x" }] });
    const missingError = await missing.provider
      .complete({ messages: start, tools: [] })
      .catch((e: unknown) => e);
    expect(missingError).toBeInstanceOf(ModelNotFoundError);
    expect(await missing.provider.listModels()).toEqual([{ id: "claude-opus-4-5" }]);
    await missing.server.close();

    const long = await setup({
      script: [
        {
          fault: "http",
          status: 400,
          body: {
            type: "error",
            error: {
              type: "invalid_request_error",
              message: "prompt is too long: 210000 tokens > 200000 maximum",
            },
          },
        },
      ],
    });
    const longError = await long.provider.complete({ messages: start, tools: [] }).catch((e: unknown) => e);
    expect(longError).toBeInstanceOf(ContextLengthError);
    expect(long.server.messageBodies).toHaveLength(1);
  });
});
