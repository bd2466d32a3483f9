import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAgent } from "../agent/run-agent.js";
import { ScriptedModel } from "../model/scripted/scripted-model.js";
import { defineTool } from "../tools/tool.js";
import { parseTrajectory, readTrajectory } from "./reader.js";
import { rebuildConversation, rebuildRequests } from "./rebuild.js";
import { loadScriptFile, scriptFromTrajectory } from "./replay.js";
import type { HeaderEvent } from "./schema.js";
import { TrajectoryWriter } from "./writer.js";

const API_KEY = "sk-proj-SECRETSECRET123";

const HEADER: HeaderEvent = {
  type: "header",
  format: "swe-review-trajectory",
  version: 1,
  id: "x",
  createdAt: "2026-11-21T00:00:00.000Z",
  versions: { sweReview: "0.1.0", node: "v20" },
  model: { provider: "scripted", name: "m", settings: {} },
  tools: [],
  budget: { maxSteps: 100 },
};

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), "swe-review-traj-")), name);
}

describe("TrajectoryWriter", () => {
  it("has every finished step on disk while the run is still going", async () => {
    const path = tempFile("trajectory.jsonl");
    const linesSeen: number[] = [];
    const peek = defineTool({
      name: "peek",
      description: "Counts the trajectory's lines.",
      schema: z.object({}),
      run: () => {
        linesSeen.push(readFileSync(path, "utf8").trim().split("\n").length);
        return { output: "ok" };
      },
    });
    const writer = new TrajectoryWriter(path);
    await runAgent({
      model: new ScriptedModel([
        { toolCalls: [{ name: "peek", arguments: {} }] },
        { toolCalls: [{ name: "peek", arguments: {} }] },
        { content: "done" },
      ]),
      tools: [peek],
      system: "s",
      task: "t",
      trajectory: writer,
    });
    writer.close();
    // header + system + task, then one more step line before each later peek
    expect(linesSeen).toEqual([3, 4]);
    const { events } = readTrajectory(path);
    expect(events.map((event) => event.type)).toEqual([
      "header",
      "message",
      "message",
      "step",
      "step",
      "step",
      "final",
    ]);
  });

  it("never writes a known secret, wherever it appears", async () => {
    const path = tempFile("trajectory.jsonl");
    const env = defineTool({
      name: "env",
      description: "Prints the environment.",
      schema: z.object({}),
      run: () => ({ output: `OPENAI_API_KEY=${API_KEY}\nPATH=/usr/bin` }),
    });
    const writer = new TrajectoryWriter(path, { secrets: [API_KEY] });
    await runAgent({
      model: new ScriptedModel([
        { toolCalls: [{ name: "env", arguments: {} }] },
        { content: `key is ${API_KEY}` },
      ]),
      tools: [env],
      system: "s",
      task: "t",
      trajectory: writer,
      config: { model: { apiKey: "[REDACTED]" } },
    });
    writer.close();
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(API_KEY);
    expect(text).toContain("OPENAI_API_KEY=[REDACTED]");
  });

  it("keeps URLs the agent read as they were, taking out only the secrets this process knows", () => {
    const path = tempFile("trajectory.jsonl");
    const writer = new TrajectoryWriter(path, { secrets: ["proxy-password-1"] });
    const seen =
      'maps.js?key=YOUR_API_KEY and https://user:proxy-password-1@proxy:3128 and "https://a:b@c/x"';
    writer.write({ type: "message", kind: "task", message: { role: "user", content: seen } });
    writer.close();
    expect(JSON.parse(readFileSync(path, "utf8")).message.content).toBe(
      'maps.js?key=YOUR_API_KEY and https://user:[REDACTED]@proxy:3128 and "https://a:b@c/x"',
    );
  });
});

describe("readTrajectory", () => {
  const header = JSON.stringify(HEADER);

  it("skips a last line cut off by a crash and says so", () => {
    const { events, truncated } = parseTrajectory(`${header}\n{"type": "message", "kind": "sys`);
    expect(events).toHaveLength(1);
    expect(truncated).toBe(true);
  });

  it("names the line of an invalid event", () => {
    expect(() => parseTrajectory(`${header}\n{"type": "step"}\n`, "t.jsonl")).toThrowError(
      /t\.jsonl:2 is not a trajectory event/,
    );
    expect(() => parseTrajectory(`${header}\nnot json\n{}\n`, "t.jsonl")).toThrowError(
      /t\.jsonl:2 is not valid JSON/,
    );
  });

  it("refuses a file without a header", () => {
    expect(() =>
      parseTrajectory('{"type": "message", "kind": "task", "message": {"role": "user", "content": "x"}}\n'),
    ).toThrowError(/does not start with a header/);
  });
});

describe("rebuild and replay", () => {
  it("rebuilds the conversation and replays the run's turns as a script", async () => {
    const path = tempFile("trajectory.jsonl");
    const echo = defineTool({
      name: "echo",
      description: "Echo.",
      schema: z.object({ text: z.string() }),
      run: ({ text }) => ({ output: text }),
    });
    const original = new ScriptedModel([
      { reasoning: "r1", content: "c1", toolCalls: [{ name: "echo", arguments: '{"text":"raw"}' }] },
      { content: "end" },
    ]);
    const writer = new TrajectoryWriter(path);
    const first = await runAgent({
      model: original,
      tools: [echo],
      system: "s",
      task: "t",
      trajectory: writer,
    });
    writer.close();
    const { events } = readTrajectory(path);
    expect(rebuildConversation(events)).toEqual(first.messages);

    const script = loadScriptFile(path);
    expect(script).toEqual(scriptFromTrajectory(events));
    const replayed = new ScriptedModel(script as never[]);
    const second = await runAgent({ model: replayed, tools: [echo], system: "s", task: "t" });
    expect(second.messages).toEqual(first.messages);
    expect(replayed.requests.map((r) => r.messages)).toEqual(rebuildRequests(events).map((r) => r.messages));
  });

  it("detects a trajectory whose message counts do not add up", () => {
    const path = tempFile("trajectory.jsonl");
    const writer = new TrajectoryWriter(path);
    writer.write(HEADER);
    writer.write({
      type: "step",
      step: 1,
      startedAt: "2026-11-21T00:00:00.000Z",
      request: { messageCount: 2 },
      response: { content: "", toolCalls: [], finishReason: "stop" },
      observations: [],
      usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, costUsd: 0 },
      timing: { modelMs: 0, toolsMs: 0 },
    });
    writer.close();
    expect(() => rebuildRequests(readTrajectory(path).events)).toThrowError(/carried 2 messages/);
  });

  it("loads scripts as a JSON array or JSONL and explains a bad entry", () => {
    const array = tempFile("script.json");
    writeFileSync(array, JSON.stringify([{ content: "a" }, { fault: "http", status: 500 }]));
    expect(loadScriptFile(array)).toHaveLength(2);
    const jsonl = tempFile("script.jsonl");
    writeFileSync(jsonl, '{"content": "a"}\n{"fault": "reset"}\n');
    expect(loadScriptFile(jsonl)).toHaveLength(2);
    appendFileSync(jsonl, '{"fault": "explode"}\n');
    expect(() => loadScriptFile(jsonl)).toThrowError(/Entry 3 of .* is neither a turn/);
  });
});
