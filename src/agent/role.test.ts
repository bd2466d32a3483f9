import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ScriptedModel } from "../model/scripted/scripted-model.js";
import { defineTool } from "../tools/tool.js";
import { MemoryTrajectory } from "../trajectory/writer.js";
import { type Role, runRole } from "./role.js";

/** A toy role: counts words in a text by asking the model, and extracts the number from its final message. */
const wordCounter: Role<{ text: string }, { words: number | null }> = {
  name: "word-counter",
  instruction: ({ text }) => ({ system: "You count words.", task: `Count the words in: ${text}` }),
  tools: () => [
    defineTool({
      name: "split",
      description: "Split text on whitespace.",
      schema: z.object({ text: z.string() }),
      run: ({ text }) => ({ output: JSON.stringify(text.split(/\s+/).filter(Boolean)) }),
    }),
  ],
  extract: (run) => {
    const match = run.finishMessage?.match(/\d+/);
    return { words: match ? Number(match[0]) : null };
  },
};

describe("runRole", () => {
  it("runs the role's instruction and tools, extracts its result and records it last", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "split", arguments: { text: "a b  c" } }] },
      { content: "There are 3 words." },
    ]);
    const trajectory = new MemoryTrajectory();
    const { run, result } = await runRole(wordCounter, { text: "a b  c" }, { model, trajectory });
    expect(run.status).toBe("finished");
    expect(result).toEqual({ words: 3 });
    expect(model.requests[0]?.messages[1]).toEqual({ role: "user", content: "Count the words in: a b  c" });
    expect(model.requests[0]?.tools.map((tool) => tool.name)).toEqual(["split"]);
    expect(trajectory.events[0]).toMatchObject({ type: "header", role: "word-counter" });
    expect(trajectory.events.at(-1)).toEqual({ type: "result", result: { words: 3 } });
  });
});
