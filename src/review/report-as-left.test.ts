import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AgentRun } from "../agent/run-agent.js";
import { silentLogger } from "../common/logger.js";
import { ZERO_USAGE } from "../model/types.js";
import { defineTool } from "../tools/tool.js";
import { verdictFromRun } from "./extract.js";
import { reportAsLeft, ToolActivity } from "./report-as-left.js";

const REPORT = JSON.stringify({
  decision: { recommendation: "request_changes", confidence: 0.8 },
  summary: { problem: "p", solution: "s", overall_assessment: "a" },
  defects: [],
});

const context = { signal: new AbortController().signal, callId: "c", step: 1, logger: silentLogger };

describe("ToolActivity", () => {
  it("records when the last tool call ended, but not a call that finishes the run", async () => {
    const activity = new ToolActivity();
    const [work, finish] = activity.watch([
      defineTool({ name: "work", description: "", schema: z.object({}), run: () => ({ output: "done" }) }),
      defineTool({
        name: "finish",
        description: "",
        schema: z.object({}),
        run: () => ({ output: "", finish: "bye" }),
      }),
    ]);
    expect(activity.lastCallEndedAtMs).toBeUndefined();
    const before = Date.now();
    expect(await work?.run({}, context)).toEqual({ output: "done" });
    const ended = activity.lastCallEndedAtMs ?? 0;
    expect(ended).toBeGreaterThanOrEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await finish?.run({}, context);
    expect(activity.lastCallEndedAtMs).toBe(ended);
  });
});

describe("reportAsLeft", () => {
  it("takes a file last changed before the agent's last tool call ended, in the same millisecond included", () => {
    expect(reportAsLeft({ kind: "file", text: REPORT, changedAtMs: 1000.6 }, 1000)).toEqual({ text: REPORT });
    expect(reportAsLeft({ kind: "file", text: REPORT, changedAtMs: 900 }, 1000)).toEqual({ text: REPORT });
  });

  it("sets aside a file changed after the agent's last tool call, or when no tool ever ran", () => {
    for (const last of [1000, undefined]) {
      expect(reportAsLeft({ kind: "file", text: REPORT, changedAtMs: 1001.2 }, last)).toEqual({
        problem: expect.stringMatching(/changed after the agent's last command/),
      });
    }
  });

  it("says why a refused file was not read, and nothing of a missing one", () => {
    expect(reportAsLeft({ kind: "refused", reason: "it is a FIFO, not a regular file" }, 1000)).toEqual({
      problem: "the report file was not read: it is a FIFO, not a regular file",
    });
    expect(reportAsLeft({ kind: "missing" }, 1000)).toEqual({});
  });
});

describe("verdictFromRun with a report file that was set aside", () => {
  const run = (finishMessage: string): AgentRun => ({
    status: "finished",
    steps: 2,
    usage: ZERO_USAGE,
    durationMs: 1,
    messages: [{ role: "assistant", content: "", toolCalls: [{ id: "f", name: "finish", arguments: "{}" }] }],
    finishMessage,
  });

  it("takes the finish message and records why the file was passed over", () => {
    const found = verdictFromRun(run(REPORT), {
      problem: "the report file was not read: it is a symbolic link",
    });
    expect(found.outcome).toMatchObject({
      decision: "request_changes",
      source: "finish_message",
      reason: "the report file was not read: it is a symbolic link",
    });
  });

  it("gives the reason to the forced turn when nothing else holds a report", () => {
    const found = verdictFromRun(run("Done."), {
      problem: "the report file was not read: it is a directory",
    });
    expect(found.outcome).toBeUndefined();
    expect(found.outcome === undefined && found.reasons[0]).toBe(
      "the report file was not read: it is a directory",
    );
  });
});
