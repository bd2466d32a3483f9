import { afterEach, describe, expect, it } from "vitest";
import { type MockGeminiServer, startMockGeminiServer } from "./gemini-server.js";

let server: MockGeminiServer | undefined;
afterEach(async () => server?.close());

const KEY = "AIza-unit-test-key";
const USER = { role: "user", parts: [{ text: "fix it" }] };

/** A POST with the key in its header; `key: null` sends none. */
async function call(target: string, body: unknown, key: string | null = KEY) {
  return fetch(`${server?.baseUrl}${target}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "x-goog-api-key": key } : {}) },
    body: JSON.stringify(body),
  });
}

/** The JSON payloads of a server-sent-event body. */
// biome-ignore lint/suspicious/noExplicitAny: test-side reading of the wire JSON
function events(text: string): Array<Record<string, any>> {
  return text
    .split("\r\n\r\n")
    .filter((event) => event.startsWith("data: "))
    .map((event) => JSON.parse(event.slice("data: ".length)));
}

describe("MockGeminiServer", () => {
  it("answers 401 without the key, in the header or the query", async () => {
    server = await startMockGeminiServer({ apiKey: KEY, script: [{ content: "ok" }] });
    const target = "/v1beta/models/gemini-2.5-pro:generateContent";
    const missing = await call(target, { contents: [USER] }, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED" } });
    expect((await call(target, { contents: [USER] }, "wrong")).status).toBe(401);
    expect((await call(`${target}?key=${KEY}`, { contents: [USER] }, null)).status).toBe(200);
    expect(server.remaining).toBe(0);
  });

  it("answers generateContent with function calls whose arguments are objects, and the usage the turn sets", async () => {
    server = await startMockGeminiServer({
      apiKey: KEY,
      script: [
        {
          toolCalls: [{ name: "run_shell_command", arguments: { command: "ls", description: "list" } }],
          usage: { promptTokens: 120, completionTokens: 9, cachedTokens: 20 },
        },
      ],
    });
    const response = await call("/v1beta/models/gemini-2.5-pro:generateContent", { contents: [USER] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      candidates: [
        {
          content: {
            role: "model",
            parts: [
              { functionCall: { name: "run_shell_command", args: { command: "ls", description: "list" } } },
            ],
          },
          finishReason: "STOP",
        },
      ],
      usageMetadata: {
        promptTokenCount: 120,
        candidatesTokenCount: 9,
        cachedContentTokenCount: 20,
        totalTokenCount: 129,
      },
      modelVersion: "gemini-2.5-pro",
    });
  });

  it("streams with alt=sse: one event per piece, thoughts flagged, finish reason and usage on the last", async () => {
    server = await startMockGeminiServer({
      apiKey: KEY,
      script: [
        { reasoning: "think twice", content: "All done.", usage: { promptTokens: 50, completionTokens: 4 } },
      ],
    });
    const response = await call("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", {
      contents: [USER],
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const chunks = events(await response.text());
    expect(chunks.length).toBeGreaterThan(2);
    const parts = chunks.flatMap((chunk) => chunk.candidates[0].content.parts);
    const text = (thought: boolean) =>
      parts
        .filter((part) => (part.thought === true) === thought)
        .map((part) => part.text)
        .join("");
    expect(text(true)).toBe("think twice");
    expect(text(false)).toBe("All done.");
    expect(
      chunks.slice(0, -1).every((chunk) => !chunk.usageMetadata && !chunk.candidates[0].finishReason),
    ).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      candidates: [{ finishReason: "STOP" }],
      usageMetadata: {
        promptTokenCount: 50,
        candidatesTokenCount: 4,
        thoughtsTokenCount: 3,
        totalTokenCount: 57,
      },
    });
    expect(server.generateBodies).toHaveLength(1);
  });

  it("rejects what the API rejects: function responses that do not answer every call, empty contents, unknown models", async () => {
    server = await startMockGeminiServer({
      apiKey: KEY,
      models: ["gemini-2.5-pro"],
      script: [{ content: "x" }],
    });
    const target = "/v1beta/models/gemini-2.5-pro:generateContent";
    const calls = {
      role: "model",
      parts: [{ functionCall: { name: "a", args: {} } }, { functionCall: { name: "b", args: {} } }],
    };
    const oneAnswer = { role: "user", parts: [{ functionResponse: { name: "a", response: {} } }] };
    const mismatch = await call(target, { contents: [USER, calls, oneAnswer] });
    expect(mismatch.status).toBe(400);
    expect(JSON.stringify(await mismatch.json())).toContain("number of function response parts");
    expect((await call(target, { contents: [] })).status).toBe(400);
    expect((await call("/v1beta/models/gemini-9:generateContent", { contents: [USER] })).status).toBe(404);
    expect(server.remaining).toBe(1);
  });

  it("plays faults in the API's error shape, and says when the script is exhausted", async () => {
    server = await startMockGeminiServer({ apiKey: KEY, script: [{ fault: "http", status: 429 }] });
    const target = "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";
    const limited = await call(target, { contents: [USER] });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED" } });
    const exhausted = await call(target, { contents: [USER] });
    expect(exhausted.status).toBe(400);
    expect(JSON.stringify(await exhausted.json())).toContain("exhausted");
  });

  it("answers countTokens from the request without playing the script", async () => {
    server = await startMockGeminiServer({ apiKey: KEY, script: [{ content: "x" }] });
    const response = await call("/v1beta/models/gemini-2.5-pro:countTokens", { contents: [USER] });
    expect(await response.json()).toEqual({ totalTokens: expect.any(Number) });
    expect(server.remaining).toBe(1);
  });
});
