import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAgent } from "../../src/agent/run-agent.js";
import { createModel } from "../../src/model/create.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import { OpenAICompatibleModel } from "../../src/model/openai/provider.js";
import { buildChatRequestBody, OpenAISettingsSchema } from "../../src/model/openai/request.js";
import { DEFAULT_RETRY_POLICY } from "../../src/model/retry.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { rebuildRequests } from "../../src/trajectory/rebuild.js";
import { MemoryTrajectory, TrajectoryWriter } from "../../src/trajectory/writer.js";
import { fileTools } from "../helpers/file-tools.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

interface WireMessage {
  role: string;
  content: string;
  reasoning_content?: string;
  tool_calls?: unknown;
}

describe("runAgent with --tool-calls text against a server without tool or reasoning parsers", () => {
  it("describes tools in the system prompt, reads calls from the text, and rebuilds every request byte for byte", async () => {
    server = await startMockServer({
      mode: "hermes", // no tool parser: requests with tools get vLLM's 400, calls come back as text
      noReasoningParser: true, // reasoning comes back as <think> in the content
      models: ["SWE-Review-8B"],
      script: [
        {
          reasoning: "Look at the code first.",
          content: "Reading both files.",
          toolCalls: [
            { name: "read_file", arguments: { path: "src/calc.py" } },
            { name: "list_files", arguments: "" },
          ],
        },
        // a trailing comma (repaired) and a literal </tool_call> inside the file text
        {
          toolCalls: [
            {
              name: "write_file",
              arguments:
                '{"path": "src/calc.py", "content": "def add(a, b):\\n    return a + b  # not </tool_call>\\n",}',
            },
          ],
        },
        { content: "All done.", toolCalls: [{ name: "finish", arguments: { message: "Fixed add()." } }] },
      ],
    });
    const settings = OpenAISettingsSchema.parse({
      reasoningRoundTrip: true,
      toolCalls: "text",
      temperature: 0,
    });
    const model = new OpenAICompatibleModel({
      name: "SWE-Review-8B",
      baseUrl: server.baseUrl,
      settings,
      timeoutMs: 10_000,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
    });
    const files = new Map([["src/calc.py", "def add(a, b):\n    return a - b\n"]]);
    const path = join(mkdtempSync(join(tmpdir(), "swe-review-hermes-")), "trajectory.jsonl");
    const writer = new TrajectoryWriter(path);
    const run = await runAgent({
      model,
      tools: fileTools(files),
      system: "You fix bugs.",
      task: "add() subtracts. Fix it.",
      trajectory: writer,
    });
    writer.close();

    expect(run.status).toBe("finished");
    expect(run.finishMessage).toBe("Fixed add().");
    expect(files.get("src/calc.py")).toBe("def add(a, b):\n    return a + b  # not </tool_call>\n");

    const bodies = server.chatBodies;
    expect(bodies).toHaveLength(3);
    const sent = bodies.map((body) => JSON.parse(body) as { tools?: unknown; messages: WireMessage[] });
    for (const body of sent) expect(body.tools).toBeUndefined();
    // the Qwen3 template's tools section, tools as Python-style JSON, after the system prompt
    const system = sent[0]?.messages[0]?.content ?? "";
    expect(system.startsWith("You fix bugs.\n\n# Tools\n\nYou may call one or more functions")).toBe(true);
    expect(system).toContain(
      '\n{"type": "function", "function": {"name": "read_file", "description": "Read a file.", "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"], "additionalProperties": false}}}\n',
    );
    expect(
      system.endsWith(
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>',
      ),
    ).toBe(true);
    // the calls go back as the Qwen3 template renders them, results as one user turn of <tool_response> blocks
    const second = sent[1]?.messages ?? [];
    expect(second.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second[2]).toEqual({
      role: "assistant",
      content:
        'Reading both files.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "src/calc.py"}}\n</tool_call>\n<tool_call>\n{"name": "list_files", "arguments": {}}\n</tool_call>',
      reasoning_content: "Look at the code first.",
    });
    expect(second[3]?.content).toBe(
      "<tool_response>\ndef add(a, b):\n    return a - b\n\n</tool_response>\n<tool_response>\nsrc/calc.py\n</tool_response>",
    );

    // the trajectory records the text-mode settings, so the exact bytes can be rebuilt
    const { events } = readTrajectory(path);
    const header = events[0];
    if (header?.type !== "header") throw new Error("no header");
    expect(header.model.settings).toMatchObject({ toolCalls: "text" });
    const rebuilt = rebuildRequests(events).map((request) =>
      JSON.stringify(
        buildChatRequestBody(header.model.name, OpenAISettingsSchema.parse(header.model.settings), request),
      ),
    );
    expect(rebuilt).toEqual(bodies);
    const steps = events.filter((event) => event.type === "step");
    expect(steps.map((step) => step.type === "step" && step.response.toolCallSource)).toEqual([
      "text",
      "text",
      "text",
    ]);
    expect(readFileSync(path, "utf8")).toContain("Look at the code first.");
  });

  it("sends reasoning back per model family, and keeps it in the trajectory either way", async () => {
    const script = [
      {
        reasoning: "Plan: read the file.",
        toolCalls: [{ name: "read_file", arguments: { path: "src/calc.py" } }],
      },
      { content: "Done." },
    ];
    for (const [name, sendsBack] of [
      ["SWE-Review-8B", true],
      ["gpt-4.1", false],
    ] as const) {
      server = await startMockServer({ script });
      const model = createModel({ name, baseUrl: server.baseUrl, timeoutSeconds: 10, maxRetries: 0 });
      const trajectory = new MemoryTrajectory();
      const run = await runAgent({ model, tools: fileTools(), system: "s", task: "t", trajectory });
      expect(run.status).toBe("finished");
      const second = JSON.parse(server.chatBodies[1] ?? "{}") as { messages: WireMessage[] };
      expect(second.messages[2]?.reasoning_content).toBe(sendsBack ? "Plan: read the file." : undefined);
      const step = trajectory.events.find((event) => event.type === "step");
      expect(step?.type === "step" && step.response.reasoning).toBe("Plan: read the file.");
      await server.close();
      server = undefined;
    }
  });
});
