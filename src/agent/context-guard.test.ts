import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../common/clock.js";
import { ScriptedModel } from "../model/scripted/scripted-model.js";
import type { TokenCounter } from "../model/tokens/counter.js";
import type { ModelRequest } from "../model/types.js";
import { defineTool } from "../tools/tool.js";
import { MemoryTrajectory } from "../trajectory/writer.js";
import { ContextGuard } from "./context-guard.js";
import { runAgent } from "./run-agent.js";

/** One token per character of message content: easy to reason about. */
const characterCounter: TokenCounter = {
  method: "tokenizer",
  count: (request: ModelRequest) =>
    request.messages.reduce((sum, message) => sum + message.content.length, 0),
  observe: () => {},
  describe: () => "characters",
};

const read = defineTool({
  name: "read",
  description: "Read a chunk.",
  schema: z.object({ size: z.number() }),
  run: ({ size }) => ({ output: "x".repeat(size) }),
});
const finish = defineTool({
  name: "finish",
  description: "Finish.",
  schema: z.object({ message: z.string() }),
  run: ({ message }) => ({ output: message, finish: message }),
});

function guard() {
  // context 1,000, 100 kept for the answer: hard limit 900; at least 200 tokens of growth expected per step
  return new ContextGuard({
    contextLength: 1000,
    reserveTokens: 100,
    headroomTokens: 200,
    counter: characterCounter,
  });
}

describe("the context guard in runAgent", () => {
  it("gives the grace turn before the context is exceeded, and the run ends with context_limit", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "read", arguments: { size: 300 } }] },
      { toolCalls: [{ name: "read", arguments: { size: 300 } }] },
      { toolCalls: [{ name: "finish", arguments: { message: "partial review" } }] },
    ]);
    const trajectory = new MemoryTrajectory();
    const run = await runAgent({
      model,
      tools: [read, finish],
      system: "sys",
      task: "task",
      trajectory,
      clock: new ManualClock(0),
      contextGuard: guard(),
      graceNotice: () => "Context nearly full: finish now.",
    });
    // requests of 7, 307 and 607 tokens; steps grow by 300, so after 607 the next (907) would not fit:
    // the third request is the grace turn, sent with its notice (32 characters)
    expect(model.requests.map((request) => characterCounter.count(request))).toEqual([7, 307, 607 + 32]);
    expect(model.requests[2]?.messages.at(-1)?.content).toBe("Context nearly full: finish now.");
    expect(run.status).toBe("context_limit");
    expect(run.finishMessage).toBe("partial review");
    const steps = trajectory.events.filter((event) => event.type === "step");
    expect(steps.map((step) => step.type === "step" && step.request.countedTokens)).toEqual([7, 307, 639]);
    expect(steps.at(-1)).toMatchObject({ grace: true });
  });

  it("never sends a request that would not fit", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "read", arguments: { size: 5000 } }] },
      { content: "unreachable" },
    ]);
    const run = await runAgent({
      model,
      tools: [read, finish],
      system: "sys",
      task: "task",
      clock: new ManualClock(0),
      contextGuard: guard(),
    });
    expect(model.requests).toHaveLength(1);
    expect(run.status).toBe("context_limit");
    expect(run.finishMessage).toBeUndefined();
  });
});
