import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAgent } from "../../src/agent/run-agent.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import { OpenAICompatibleModel } from "../../src/model/openai/provider.js";
import { buildChatRequestBody, OpenAISettingsSchema } from "../../src/model/openai/request.js";
import { DEFAULT_RETRY_POLICY } from "../../src/model/retry.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { rebuildRequests } from "../../src/trajectory/rebuild.js";
import { TrajectoryWriter } from "../../src/trajectory/writer.js";
import { fileTools } from "../helpers/file-tools.js";

const API_KEY = "sk-e2e-0123456789abcdef";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

describe("runAgent through the OpenAI provider and the mock server over HTTP", () => {
  it("sends exactly the request bodies the trajectory rebuilds, byte for byte", async () => {
    server = await startMockServer({
      apiKey: API_KEY,
      models: ["swe-review-test"],
      script: [
        {
          reasoning: "Start by looking around.",
          content: "Let me see the project.",
          toolCalls: [
            { name: "list_files", arguments: {} },
            { name: "read_file", arguments: { path: "README.md" } },
          ],
        },
        { fault: "http", status: 503 },
        {
          reasoning: "The bug must be in calc.",
          toolCalls: [{ name: "read_file", arguments: '{"path":"src/calc.py"}' }],
          usage: { promptTokens: 900, completionTokens: 40, cachedTokens: 512 },
        },
        { toolCalls: [{ name: "read_file", arguments: { path: "src/missing.py" } }] },
        {
          content: "Fixing the operator — naïve bug “here”.",
          toolCalls: [
            {
              name: "write_file",
              arguments: { path: "src/calc.py", content: "def add(a, b):\n    return a + b\n" },
            },
          ],
        },
        { toolCalls: [{ name: "write_file", arguments: '{"path": "x.py"' }] },
        { toolCalls: [{ name: "finish", arguments: { message: "Fixed add() to use +." } }] },
      ],
    });
    const settings = OpenAISettingsSchema.parse({
      reasoningRoundTrip: true,
      temperature: 0,
      maxTokens: 2048,
    });
    const model = new OpenAICompatibleModel({
      name: "swe-review-test",
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      settings,
      timeoutMs: 10_000,
      retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5 },
    });
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-e2e-")), "trajectory.jsonl");
    const writer = new TrajectoryWriter(path, { secrets: [API_KEY] });
    const result = await runAgent({
      model,
      tools: fileTools(),
      system: "You fix bugs.",
      task: "add() subtracts. Fix it.",
      trajectory: writer,
      config: { model: { name: "swe-review-test", apiKey: "[REDACTED]" } },
    });
    writer.close();

    expect(result.status).toBe("finished");
    expect(result.finishMessage).toBe("Fixed add() to use +.");
    expect(result.steps).toBe(6);
    // the 503 was retried: one more request than steps, the retry identical to the failed one
    const bodies = server.chatBodies;
    expect(bodies).toHaveLength(7);
    expect(bodies[1]).toBe(bodies[2]);
    const answered = bodies.filter((_, index) => index !== 1);

    const { events } = readTrajectory(path);
    const header = events[0];
    if (header?.type !== "header") throw new Error("no header");
    const rebuilt = rebuildRequests(events).map((request) =>
      JSON.stringify(
        buildChatRequestBody(header.model.name, OpenAISettingsSchema.parse(header.model.settings), request),
      ),
    );
    expect(rebuilt).toHaveLength(answered.length);
    for (const [index, body] of answered.entries()) expect(rebuilt[index]).toBe(body);

    // the argument text is kept as vLLM sent it (its hermes parser re-dumps the model's JSON Python-style),
    // reasoning goes back as reasoning_content
    const last = JSON.parse(answered.at(-1) ?? "{}");
    const assistantTurns = last.messages.filter((message: { role: string }) => message.role === "assistant");
    expect(assistantTurns[1].tool_calls[0].function.arguments).toBe('{"path": "src/calc.py"}');
    expect(assistantTurns[0].reasoning_content).toBe("Start by looking around.");
    expect(assistantTurns[0].tool_calls[0].id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    expect(last.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual([
      "list_files",
      "read_file",
      "write_file",
      "finish",
    ]);
    const malformed = last.messages.find(
      (message: { role: string; content: string }) =>
        message.role === "tool" && message.content.startsWith("Error validating args"),
    );
    expect(malformed.content).toMatch(/for tool 'write_file'/);

    // usage: summed over answered calls only, cached tokens kept
    const steps = events.filter((event) => event.type === "step");
    expect(steps[1]?.usage).toMatchObject({ promptTokens: 900, completionTokens: 40, cachedTokens: 512 });
    expect(result.usage.promptTokens).toBe(
      steps.reduce((sum, step) => sum + (step.type === "step" ? step.usage.promptTokens : 0), 0),
    );

    // the key went over the wire but never into the trajectory
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(readFileSync(path, "utf8")).not.toContain(API_KEY);
  });
});
