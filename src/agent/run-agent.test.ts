import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../common/clock.js";
import { AbortedError, ServerError } from "../model/errors.js";
import { ScriptedModel } from "../model/scripted/scripted-model.js";
import type { ModelRequest } from "../model/types.js";
import { defineTool } from "../tools/tool.js";
import { rebuildRequests } from "../trajectory/rebuild.js";
import { MemoryTrajectory } from "../trajectory/writer.js";
import { runAgent } from "./run-agent.js";

const calls: string[] = [];
const echo = defineTool({
  name: "echo",
  description: "Echo text back.",
  schema: z.object({ text: z.string() }).strict(),
  run: ({ text }) => {
    calls.push(text);
    return { output: `echo: ${text}` };
  },
});
const add = defineTool({
  name: "add",
  description: "Add two numbers.",
  schema: z.object({ a: z.number(), b: z.number() }).strict(),
  run: ({ a, b }) => ({ output: String(a + b) }),
});
const explode = defineTool({
  name: "explode",
  description: "Always fails.",
  schema: z.object({}),
  run: () => {
    throw new Error("kaboom");
  },
});
const finish = defineTool({
  name: "finish",
  description: "Finish with a message.",
  schema: z.object({ message: z.string() }),
  run: ({ message }) => ({ output: message, finish: message }),
});
const tools = [echo, add, explode, finish];

function run(model: ScriptedModel, extra: Partial<Parameters<typeof runAgent>[0]> = {}) {
  const trajectory = new MemoryTrajectory();
  const clock = new ManualClock(Date.parse("2026-11-21T00:00:00Z"));
  return runAgent({ model, tools, system: "sys", task: "do it", trajectory, clock, ...extra }).then(
    (result) => ({
      result,
      trajectory,
    }),
  );
}

describe("runAgent", () => {
  it("runs tool calls in order across steps and finishes with the finish message", async () => {
    calls.length = 0;
    const model = new ScriptedModel([
      {
        content: "first",
        toolCalls: [
          { name: "echo", arguments: { text: "a" } },
          { name: "echo", arguments: { text: "b" } },
        ],
      },
      { toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] },
      { toolCalls: [{ name: "finish", arguments: { message: "all done" } }] },
    ]);
    const { result, trajectory } = await run(model);
    expect(result.status).toBe("finished");
    expect(result.finishMessage).toBe("all done");
    expect(result.steps).toBe(3);
    expect(calls).toEqual(["a", "b"]);
    const second = model.requests[1];
    expect(second?.messages.slice(-3)).toEqual([
      expect.objectContaining({ role: "assistant", content: "first" }),
      { role: "tool", toolCallId: "call_1_0", name: "echo", content: "echo: a" },
      { role: "tool", toolCallId: "call_1_1", name: "echo", content: "echo: b" },
    ]);
    const types = trajectory.events.map((event) => event.type);
    expect(types).toEqual(["header", "message", "message", "step", "step", "step", "final"]);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it("returns bad arguments and unknown tools to the model as error observations, then carries on", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "add", arguments: '{"a": 1, "b": ' }] },
      (request: ModelRequest) => {
        const last = request.messages.at(-1);
        expect(last).toMatchObject({ role: "tool", name: "add" });
        expect(last?.content).toMatch(
          /^Error validating args \{"a": 1, "b": {2}for tool 'add': the arguments are not valid JSON/,
        );
        return { toolCalls: [{ name: "add", arguments: { a: 1, b: "two" } }] };
      },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)?.content).toMatch(/for tool 'add': b: Invalid input: expected number/);
        return { toolCalls: [{ name: "add", arguments: { a: 1, b: 2, c: 3 } }] };
      },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)?.content).toMatch(/unexpected argument c/);
        return { toolCalls: [{ name: "search_web", arguments: { q: "x" } }] };
      },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)?.content).toBe(
          "Tool 'search_web' not found. Available: ['echo', 'add', 'explode', 'finish']",
        );
        return { toolCalls: [{ name: "explode", arguments: {} }] };
      },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)?.content).toBe("Error executing tool 'explode': kaboom");
        return { toolCalls: [{ name: "add", arguments: { a: 1, b: 2 } }] };
      },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)?.content).toBe("3");
        return { content: "The answer is 3." };
      },
    ]);
    const { result, trajectory } = await run(model);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("finished");
    expect(result.finishMessage).toBe("The answer is 3.");
    const errors = trajectory.events.flatMap((event) =>
      event.type === "step" ? event.observations.filter((o) => o.isError).map((o) => o.name) : [],
    );
    expect(errors).toEqual(["add", "add", "add", "search_web", "explode"]);
  });

  it("accepts empty arguments as {} and raw newlines inside argument strings", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "echo", arguments: '{"text": "line1\nline2"}' }] },
      { toolCalls: [{ name: "explode", arguments: "" }] },
      { content: "ok" },
    ]);
    const { trajectory } = await run(model);
    const steps = trajectory.events.filter((event) => event.type === "step");
    expect(steps[0]?.observations[0]?.content).toBe("echo: line1\nline2");
    expect(steps[1]?.observations[0]?.content).toBe("Error executing tool 'explode': kaboom");
  });

  it("gives exactly one grace turn when the step limit is reached, then stops with max_steps", async () => {
    const looping = Array.from({ length: 10 }, (_, i) => ({
      toolCalls: [{ name: "echo", arguments: { text: `n${i}` } }],
    }));
    const model = new ScriptedModel(looping);
    const { result, trajectory } = await run(model, { budget: { maxSteps: 3 } });
    expect(result.status).toBe("max_steps");
    expect(result.limit).toBe("max_steps");
    expect(result.steps).toBe(4);
    expect(model.requests).toHaveLength(4);
    const grace = model.requests[3]?.messages.at(-1);
    expect(grace).toMatchObject({ role: "user" });
    expect(grace?.content).toMatch(/step limit \(3 steps\).*final turn/);
    const steps = trajectory.events.filter((event) => event.type === "step");
    expect(steps.map((step) => step.grace ?? false)).toEqual([false, false, false, true]);
  });

  it("ends the grace turn early when the agent finishes in it, keeping the limit as the status", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "echo", arguments: { text: "x" } }] },
      { toolCalls: [{ name: "finish", arguments: { message: "report written" } }] },
    ]);
    const { result } = await run(model, { budget: { maxSteps: 1 } });
    expect(result.status).toBe("max_steps");
    expect(result.finishMessage).toBe("report written");
  });

  it("stops on the token limit, the cost limit and the wall-time limit after a grace turn", async () => {
    const big = {
      toolCalls: [{ name: "echo", arguments: { text: "x" } }],
      usage: { promptTokens: 600, completionTokens: 100 },
    };
    const tokens = await run(new ScriptedModel([big, big, big, big]), { budget: { maxTotalTokens: 1000 } });
    expect(tokens.result.status).toBe("max_tokens");
    expect(tokens.result.steps).toBe(3);

    let charged = 0;
    const costly = {
      describe: () => ({ provider: "test", name: "costly", settings: {} }),
      complete: async () => {
        charged++;
        return {
          content: "",
          toolCalls: [{ id: `c${charged}`, name: "echo", arguments: '{"text": "y"}' }],
          finishReason: "tool_calls" as const,
          usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0, costUsd: 0.4 },
        };
      },
    };
    const cost = await runAgent({ model: costly, tools, system: "s", task: "t", budget: { maxCostUsd: 1 } });
    expect(cost.status).toBe("cost_limit");
    expect(charged).toBe(4);

    const clock = new ManualClock();
    const slow = defineTool({
      name: "slow",
      description: "Takes a minute.",
      schema: z.object({}),
      run: () => {
        clock.advance(60_000);
        return { output: "done" };
      },
    });
    const model = new ScriptedModel(
      Array.from({ length: 5 }, () => ({ toolCalls: [{ name: "slow", arguments: {} }] })),
    );
    const timed = await runAgent({
      model,
      tools: [slow],
      system: "s",
      task: "t",
      clock,
      budget: { wallTimeMs: 90_000 },
    });
    expect(timed.status).toBe("timeout");
    expect(timed.steps).toBe(3);
  });

  it("warns on the third identical call in a row and stops as stuck on the fifth", async () => {
    const same = { toolCalls: [{ name: "echo", arguments: { text: "same" } }] };
    const model = new ScriptedModel([same, same, same, same, same, same]);
    const { result, trajectory } = await run(model);
    expect(result.status).toBe("stuck");
    expect(result.steps).toBe(5);
    const contents = trajectory.events.flatMap((event) =>
      event.type === "step" ? [event.observations[0]?.content] : [],
    );
    expect(contents[1]).toBe("echo: same");
    expect(contents[2]).toMatch(
      /^echo: same\n\n\[Warning: this is the same call with the same arguments 3 times/,
    );
    expect(contents[3]).toMatch(/4 times/);
    expect(contents[4]).toMatch(/^Not executed: the same call was made 5 times/);
  });

  it("does not count calls with the same arguments in a different key order as different", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "add", arguments: '{"a": 1, "b": 2}' }] },
      { toolCalls: [{ name: "add", arguments: '{"b": 2, "a": 1}' }] },
      { toolCalls: [{ name: "add", arguments: '{"a":1,"b":2}' }] },
      { content: "ok" },
    ]);
    const { trajectory } = await run(model);
    const third = trajectory.events.filter((event) => event.type === "step")[2];
    expect(third?.observations[0]?.content).toMatch(/Warning/);
  });

  it("does not run calls after finish in the same turn, but answers them", async () => {
    calls.length = 0;
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "finish", arguments: { message: "bye" } },
          { name: "echo", arguments: { text: "too late" } },
        ],
      },
    ]);
    const { result, trajectory } = await run(model);
    expect(result.status).toBe("finished");
    expect(calls).toEqual([]);
    const step = trajectory.events.find((event) => event.type === "step");
    expect(step?.observations[1]?.content).toMatch(/^Not executed/);
  });

  it("ends with model_error and the error's code when the model fails", async () => {
    const failing = {
      describe: () => ({ provider: "test", name: "failing", settings: {} }),
      complete: async () => {
        throw new ServerError("model_server_error", "upstream exploded", { status: 500 });
      },
    };
    const trajectory = new MemoryTrajectory();
    const result = await runAgent({ model: failing, tools, system: "s", task: "t", trajectory });
    expect(result.status).toBe("model_error");
    expect(result.error).toEqual({ code: "model_server_error", message: "upstream exploded" });
    expect(trajectory.events.at(-1)).toMatchObject({ type: "final", status: "model_error" });
  });

  it("ends with model_error when a scripted model runs out of replies", async () => {
    const { result } = await run(
      new ScriptedModel([{ toolCalls: [{ name: "echo", arguments: { text: "1" } }] }]),
    );
    expect(result.status).toBe("model_error");
    expect(result.error?.code).toBe("script_exhausted");
  });

  it("stops with aborted when aborted mid-request, and records the final status", async () => {
    const controller = new AbortController();
    const hanging = {
      describe: () => ({ provider: "test", name: "hanging", settings: {} }),
      complete: (_request: ModelRequest, signal?: AbortSignal) =>
        new Promise<never>((_, reject) => {
          signal?.addEventListener("abort", () => reject(new AbortedError("aborted", "aborted")));
          setTimeout(() => controller.abort(), 10);
        }),
    };
    const trajectory = new MemoryTrajectory();
    const result = await runAgent({
      model: hanging,
      tools,
      system: "s",
      task: "t",
      trajectory,
      signal: controller.signal,
    });
    expect(result.status).toBe("aborted");
    expect(trajectory.events.at(-1)).toMatchObject({ type: "final", status: "aborted", steps: 0 });
  });

  it("records every request so it can be rebuilt exactly", async () => {
    const model = new ScriptedModel([
      { reasoning: "hmm", toolCalls: [{ name: "echo", arguments: { text: "1" } }] },
      { toolCalls: [{ name: "add", arguments: { a: 1, b: 1 } }] },
      { content: "done" },
    ]);
    const { trajectory } = await run(model, { budget: { maxSteps: 2 } });
    const rebuilt = rebuildRequests(trajectory.events);
    expect(rebuilt.map((request) => request.messages)).toEqual(
      model.requests.map((request) => request.messages),
    );
    expect(
      rebuilt.every(
        (request, i) => JSON.stringify(request.tools) === JSON.stringify(model.requests[i]?.tools),
      ),
    ).toBe(true);
  });

  it("reports progress after each step", async () => {
    const seen: number[] = [];
    await run(
      new ScriptedModel([{ toolCalls: [{ name: "echo", arguments: { text: "1" } }] }, { content: "x" }]),
      {
        onStep: (progress) => seen.push(progress.step),
      },
    );
    expect(seen).toEqual([1, 2]);
  });
});

describe("runAgent and empty replies", () => {
  it("nudges after a reply with neither text nor tool calls, and gives up after three in a row", async () => {
    const nudged = new ScriptedModel([
      { content: "  " },
      (request: ModelRequest) => {
        expect(request.messages.at(-1)).toEqual({
          role: "user",
          content:
            "Your last response did not include a function call or a message. Please use a tool to proceed with the task.",
        });
        return { content: "Done now." };
      },
    ]);
    const trajectory = new MemoryTrajectory();
    const first = await runAgent({ model: nudged, tools, system: "s", task: "t", trajectory });
    expect(first.status).toBe("finished");
    expect(first.finishMessage).toBe("Done now.");
    expect(rebuildRequests(trajectory.events)[1]?.messages.at(-1)?.role).toBe("user");

    const silent = new ScriptedModel([
      { content: "" },
      { content: "" },
      { content: "" },
      { content: "never reached" },
    ]);
    const second = await runAgent({ model: silent, tools, system: "s", task: "t" });
    expect(second.status).toBe("model_error");
    expect(second.error?.code).toBe("empty_replies");
    expect(silent.remaining).toBe(1);
  });
});
