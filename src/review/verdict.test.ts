import { describe, expect, it } from "vitest";
import type { AgentRun } from "../agent/run-agent.js";
import { ManualClock } from "../common/clock.js";
import { ScriptedModel } from "../model/scripted/scripted-model.js";
import { ZERO_USAGE } from "../model/types.js";
import { decideVerdict } from "./verdict.js";

const REPORT = {
  decision: { recommendation: "request_changes", confidence: 0.8 },
  summary: { problem: "p", solution: "s", overall_assessment: "o" },
  defects: [],
};

function failedRun(error: { code: string; message: string }): AgentRun {
  return {
    status: "model_error",
    steps: 0,
    usage: ZERO_USAGE,
    durationMs: 0,
    messages: [
      { role: "system", content: "You review patches." },
      { role: "user", content: "Review the patch." },
    ],
    error,
  };
}

function decide(run: AgentRun, model: ScriptedModel) {
  return decideVerdict(run, {
    reportFile: {},
    model,
    tools: [],
    trajectory: { write: () => {} },
    clock: new ManualClock(),
  });
}

describe("decideVerdict after a model error", () => {
  it("does not ask a server the run found unreachable for a final report", async () => {
    const model = new ScriptedModel([{ content: JSON.stringify(REPORT) }]);
    const message = "Cannot reach http://127.0.0.1:1/v1: the connection was refused (ECONNREFUSED).";
    const outcome = await decide(failedRun({ code: "model_unreachable", message }), model);
    expect(model.requests).toHaveLength(0);
    expect(outcome).toMatchObject({ decision: null, source: null, status: "model_error" });
    expect(outcome.reason).toContain(`the run ended with model_error: ${message}`);
  });

  it("still asks once more after other model errors (the server answered)", async () => {
    const model = new ScriptedModel([{ content: JSON.stringify(REPORT) }]);
    const outcome = await decide(
      failedRun({ code: "model_server_error", message: "http://llm/v1 failed (503: overloaded)." }),
      model,
    );
    expect(model.requests).toHaveLength(1);
    expect(outcome).toMatchObject({ decision: "request_changes", source: "forced_turn" });
  });
});
