import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock.js";
import { AnthropicModel } from "./anthropic/provider.js";
import { ConnectionError, UnreachableError } from "./errors.js";
import { type MockOpenAIServer, startMockServer } from "./mock-server/server.js";
import { OpenAICompatibleModel } from "./openai/provider.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";
import type { ModelRequest } from "./types.js";
import { unreachableReason } from "./unreachable.js";

const request: ModelRequest = { messages: [{ role: "user", content: "Review the patch." }], tools: [] };

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

let server: MockOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("a model server nobody answers at", () => {
  it("OpenAI-compatible: two quick retries with the default policy, then an error naming the server", async () => {
    const port = await closedPort();
    const clock = new ManualClock(Date.now());
    const model = new OpenAICompatibleModel({
      name: "m",
      baseUrl: `http://127.0.0.1:${port}/v1`,
      settings: { reasoningRoundTrip: false },
      timeoutMs: 5_000,
      clock,
    });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe(
      `Cannot reach http://127.0.0.1:${port}/v1: the connection was refused (ECONNREFUSED): nothing listens there. ` +
        "Check that the server is running and the base URL is right.",
    );
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(500);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(1000);
  });

  it("Anthropic: the same", async () => {
    const port = await closedPort();
    const clock = new ManualClock(Date.now());
    const model = new AnthropicModel({
      name: "claude-sonnet-4-6",
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: "sk-ant-test",
      settings: { maxTokens: 100, promptCaching: false, stream: false },
      timeoutMs: 5_000,
      clock,
    });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(
      /^Cannot reach http:\/\/127\.0\.0\.1:\d+: the connection was refused/,
    );
    expect(clock.sleeps).toHaveLength(2);
  });

  it("a server that answers but cuts the connection is not unreachable: it gets every retry", async () => {
    server = await startMockServer({
      script: Array.from({ length: 6 }, () => ({ fault: "reset" as const })),
    });
    const clock = new ManualClock(Date.now());
    const model = new OpenAICompatibleModel({
      name: "m",
      baseUrl: server.baseUrl,
      settings: { reasoningRoundTrip: false },
      timeoutMs: 5_000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
    });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(UnreachableError);
    expect(server.chatBodies).toHaveLength(6);
    expect(clock.sleeps).toHaveLength(5);
  });
});

describe("unreachableReason", () => {
  // The shape the SDKs throw: their connection error, over fetch's TypeError, over the network error.
  const sdkError = (network: Error) =>
    new Error("Connection error.", { cause: new TypeError("fetch failed", { cause: network }) });
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it("reads refused, unresolvable and unroutable hosts from the network error under the SDK's", () => {
    expect(
      unreachableReason(sdkError(coded("getaddrinfo ENOTFOUND llm.internal", "ENOTFOUND")))?.reason,
    ).toBe("the host name does not resolve (ENOTFOUND)");
    expect(
      unreachableReason(sdkError(coded("getaddrinfo EAI_AGAIN llm.internal", "EAI_AGAIN")))?.reason,
    ).toMatch(/EAI_AGAIN/);
    expect(unreachableReason(sdkError(coded("connect EHOSTUNREACH", "EHOSTUNREACH")))?.reason).toMatch(
      /no route/,
    );
    // localhost: Node tries ::1 and 127.0.0.1 and reports both.
    const both = new AggregateError([
      coded("connect ECONNREFUSED ::1:8000", "ECONNREFUSED"),
      coded("connect ECONNREFUSED 127.0.0.1:8000", "ECONNREFUSED"),
    ]);
    expect(unreachableReason(sdkError(both))?.reason).toMatch(/refused \(ECONNREFUSED\)/);
  });

  it("says to use another port when fetch will not connect to the one given", () => {
    expect(unreachableReason(sdkError(new Error("bad port")))).toEqual({
      reason: "fetch does not connect to this port (one of the ports browsers block)",
      fix: "Serve the model on another port.",
    });
  });

  it("leaves other connection failures alone", () => {
    expect(unreachableReason(sdkError(coded("read ECONNRESET", "ECONNRESET")))).toBeUndefined();
    expect(unreachableReason(sdkError(new Error("other side closed")))).toBeUndefined();
  });
});
