import { afterEach, describe, expect, it } from "vitest";
import { type MockAnthropicServer, startMockAnthropicServer } from "../model/mock-server/anthropic-server.js";
import { runChecks } from "./check.js";
import { runDoctor } from "./doctor.js";

let server: MockAnthropicServer | undefined;
afterEach(async () => server?.close());

describe("runDoctor", () => {
  it("checks an Anthropic endpoint: tool use, structured output by a forced tool, the preset's context", async () => {
    server = await startMockAnthropicServer({
      apiKey: "sk-ant-doctor-0001",
      models: ["claude-sonnet-4-6"],
      script: [
        { toolCalls: [{ name: "add", arguments: { a: 17, b: 25 } }] },
        { content: "42" },
        { content: '{"answer": 42}' },
      ],
    });
    const report = await runDoctor({
      model: {
        name: "claude-sonnet-4-6",
        baseUrl: server.baseUrl,
        apiKey: "sk-ant-doctor-0001",
        timeoutSeconds: 5,
        maxRetries: 3,
      },
      env: {},
    });
    expect(report.model).toMatchObject({ provider: "anthropic", preset: "claude-sonnet-4" });
    expect(Object.fromEntries(report.results.map((result) => [result.id, result.status]))).toEqual({
      model: "ok",
      reachable: "ok",
      listed: "ok",
      "tool-call": "ok",
      "structured-output": "ok",
      context: "ok",
      tokens: "ok",
    });
    expect(report.results.find((result) => result.id === "context")?.summary).toMatch(
      /planning for 200,000 tokens/,
    );
    const forced = JSON.parse(server.messageBodies[2] ?? "{}");
    expect(forced.tool_choice).toEqual({ type: "tool", name: "doctor_answer" });
    expect(report.healthy).toBe(true);
  });
});

describe("runChecks", () => {
  it("skips checks whose requirements failed and turns a throwing check into a failure", async () => {
    const results = await runChecks(
      [
        { id: "a", title: "a", run: async () => ({ status: "fail", summary: "down" }) },
        { id: "b", title: "b", requires: ["a"], run: async () => ({ status: "ok", summary: "never" }) },
        { id: "c", title: "c", run: async () => Promise.reject(new Error("boom")) },
      ],
      {},
    );
    expect(results.map((result) => [result.id, result.status, result.summary])).toEqual([
      ["a", "fail", "down"],
      ["b", "skip", "skipped: needs 'a' to pass first"],
      ["c", "fail", "the check itself failed: boom"],
    ]);
  });
});
