import { afterEach, describe, expect, it } from "vitest";
import { REDACTED } from "../common/redact-url.js";
import { AnthropicModel } from "./anthropic/provider.js";
import { endpointOf } from "./endpoint.js";
import { AuthenticationError, ConnectionError, MalformedResponseError } from "./errors.js";
import { startMockAnthropicServer } from "./mock-server/anthropic-server.js";
import { type MockOpenAIServer, startMockServer } from "./mock-server/server.js";
import { OpenAICompatibleModel } from "./openai/provider.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";
import type { ModelRequest } from "./types.js";

const KEY = "sk-live-configured-key-0001";
const PASSWORD = "url-password-0002";
const QUERY_KEY = "query-key-0003";
const SECRETS = [KEY, PASSWORD, QUERY_KEY];

const request: ModelRequest = { messages: [{ role: "user", content: "hi" }], tools: [] };

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

function credentialed(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `http://swe:${PASSWORD}@${url.host}${url.pathname}?api-key=${QUERY_KEY}&api-version=2024-10-01`;
}

function openai(server: MockOpenAIServer, maxRetries = 0): OpenAICompatibleModel {
  return new OpenAICompatibleModel({
    name: "mock-model",
    baseUrl: credentialed(server.baseUrl),
    apiKey: KEY,
    settings: { reasoningRoundTrip: true },
    timeoutMs: 5_000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries },
  });
}

function expectClean(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("endpointOf", () => {
  it("splits a base URL into what the SDK can send: URL, query, Basic authorization; and what may be shown", () => {
    const endpoint = endpointOf(`http://swe:${PASSWORD}@h:1/v1?api-key=${QUERY_KEY}&api-version=2`);
    expect(endpoint).toMatchObject({
      url: "http://h:1/v1",
      query: { "api-key": QUERY_KEY, "api-version": "2" },
      authorization: `Basic ${Buffer.from(`swe:${PASSWORD}`).toString("base64")}`,
      shown: `http://${REDACTED}@h:1/v1?api-key=${REDACTED}&api-version=2`,
    });
    expect(endpoint.secrets).toEqual(
      expect.arrayContaining([PASSWORD, QUERY_KEY, Buffer.from(`swe:${PASSWORD}`).toString("base64")]),
    );
    // A plain URL is used exactly as configured.
    expect(endpointOf("http://localhost:8000")).toEqual({
      url: "http://localhost:8000",
      query: {},
      shown: "http://localhost:8000",
      secrets: [],
    });
  });
});

describe("a model at a base URL with credentials", () => {
  it("reaches the server: userinfo as Basic authorization, the query on every request; describes itself redacted", async () => {
    const server = await startMockServer({ script: [{ content: "hello" }] });
    servers.push(server);
    const model = openai(server);
    expect((await model.complete(request)).content).toBe("hello");
    const [sent] = server.requests;
    expect(sent?.url).toBe(`/v1/chat/completions?api-key=${QUERY_KEY}&api-version=2024-10-01`);
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`swe:${PASSWORD}`).toString("base64")}`);
    expect(model.describe().baseUrl).toBe(
      `http://${REDACTED}@127.0.0.1:${new URL(server.baseUrl).port}/v1?api-key=${REDACTED}&api-version=2024-10-01`,
    );
  });

  it("gives errors that quote neither the key a server echoes nor the URL's credentials", async () => {
    const echo = `Incorrect API key provided: ${KEY}. Sent with ${PASSWORD} and ?api-key=${QUERY_KEY}.`;
    const server = await startMockServer({
      script: [
        { fault: "http", status: 401, body: { error: { message: echo, code: "invalid_api_key" } } },
        { fault: "malformed", body: JSON.stringify({ object: "chat.completion", echo: KEY }) },
      ],
    });
    servers.push(server);
    const model = openai(server);
    const refused = await model.complete(request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
    const message = (refused as Error).message;
    expectClean(message);
    expect(message).toContain(`refused the API key (401: Incorrect API key provided: ${REDACTED}.`);
    expect(message).toContain(`http://${REDACTED}@127.0.0.1:`);

    const malformed = await model.complete(request).catch((error: unknown) => error);
    expect(malformed).toBeInstanceOf(MalformedResponseError);
    expectClean((malformed as Error).message);
    expect((malformed as Error).message).toContain(REDACTED);
  });

  it("says it cannot reach the server without quoting the URL the HTTP client failed on", async () => {
    const server = await startMockServer();
    await server.close();
    const error = await openai(server)
      .complete(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expectClean((error as Error).message);
    expect((error as Error).message).toMatch(
      /^Cannot reach http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/v1\?api-key=\[REDACTED\]/,
    );
  });

  it("Anthropic: the same, for a key echoed in an error", async () => {
    const server = await startMockAnthropicServer({
      script: [
        {
          fault: "http",
          status: 401,
          body: {
            type: "error",
            error: { type: "authentication_error", message: `invalid x-api-key ${KEY}` },
          },
        },
      ],
    });
    servers.push(server);
    const model = new AnthropicModel({
      name: "claude-sonnet-4-6",
      baseUrl: credentialed(server.baseUrl),
      apiKey: KEY,
      settings: { maxTokens: 100, promptCaching: false, stream: false },
      timeoutMs: 5_000,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
    });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expectClean((error as Error).message);
    expect((error as Error).message).toContain(`invalid x-api-key ${REDACTED}`);
    expect(model.describe().baseUrl).not.toContain(PASSWORD);
  });
});
