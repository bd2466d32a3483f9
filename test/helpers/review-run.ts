import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { runAgent } from "../../src/agent/run-agent.js";
import type { ScriptTurn } from "../../src/model/scripted/script.js";
import { ScriptedModel } from "../../src/model/scripted/scripted-model.js";
import type { ReviewOutcome } from "../../src/review/outcome.js";
import type { ReviewReport } from "../../src/review/report.js";
import { errorResult } from "../../src/tools/openhands/observation.js";
import { defineTool } from "../../src/tools/tool.js";
import { TrajectoryWriter } from "../../src/trajectory/writer.js";

/** A terminal that answers from a table, an error observation for `cat` of a missing file, and finish. */
const terminal = defineTool({
  name: "terminal",
  description: "Execute a bash command in the terminal; you’ll see its output.",
  schema: z.object({ command: z.string(), timeout: z.number().optional() }),
  run: ({ command }) => {
    if (command.startsWith("cat /missing")) return errorResult("cat: /missing: No such file or directory");
    if (command.startsWith("seq"))
      return { output: Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join("\n") };
    return { output: `$ ${command}\nok — 1 passed\n[Command finished with exit code 0]` };
  },
});
const finish = defineTool({
  name: "finish",
  description: "Signals the completion of the current task.",
  schema: z.object({ message: z.string() }),
  run: ({ message }) => ({ output: message, finish: message }),
});

export interface RecordedReview {
  instanceId: string;
  candidateId?: string;
  turns: ScriptTurn[];
  decision: "approve" | "request_changes" | null;
  resolved?: boolean;
  patch?: string;
  /** Write result.json (the benchmark's) beside the trajectory. */
  resultJson?: boolean;
  report?: ReviewReport;
}

/** A review run recorded the way a run directory keeps it: `instances/<id>/trajectory.jsonl` + result.json. */
export async function recordReview(runDir: string, review: RecordedReview): Promise<string> {
  const dir = join(runDir, "instances", review.instanceId);
  mkdirSync(dir, { recursive: true });
  const writer = new TrajectoryWriter(join(dir, "trajectory.jsonl"));
  const run = await runAgent({
    model: new ScriptedModel(review.turns, "glm-5"),
    tools: [terminal, finish],
    system: "You are a code reviewer. Review the candidate patch and write a report.",
    task: `Review the candidate fix for ${review.instanceId}: « naïve » parsing of ‘quotes’.`,
    trajectory: writer,
    role: "reviewer",
    meta: {
      instance_id: review.instanceId,
      ...(review.candidateId ? { candidate_id: review.candidateId } : {}),
    },
  });
  const outcome: ReviewOutcome = {
    decision: review.decision,
    report: review.report ?? null,
    source: review.decision === null ? null : "finish_message",
    ...(review.decision === null ? { reason: "no report" } : {}),
    status: run.status,
  };
  writer.write({ type: "result", result: outcome });
  writer.close();
  if (review.resultJson !== false) {
    writeFileSync(
      join(dir, "result.json"),
      JSON.stringify({
        instance_id: review.instanceId,
        ...(review.candidateId ? { candidate_id: review.candidateId } : {}),
        decision: review.decision,
        ...(review.resolved === undefined ? {} : { label: { resolved: review.resolved } }),
      }),
    );
  }
  if (review.patch !== undefined)
    writeFileSync(join(dir, "candidate.json"), JSON.stringify({ model_patch: review.patch }));
  return dir;
}

/** A typical reviewer run: reasoning, two parallel calls, a failed call, a float argument, and a finish. */
export function reviewTurns(verdict: string): ScriptTurn[] {
  return [
    {
      content: "I'll read the issue first.",
      reasoning: "Start with the problem statement.",
      toolCalls: [
        { name: "terminal", arguments: { command: "cat /review_data/problem_statement.txt" } },
        { name: "terminal", arguments: '{"command":"git diff","timeout":30.0}' },
      ],
    },
    {
      reasoning: "The file may not exist.",
      toolCalls: [{ name: "terminal", arguments: { command: "cat /missing" } }],
    },
    {
      content: "",
      toolCalls: [{ name: "terminal", arguments: { command: "python -m pytest -q tests/test_ünïcode.py" } }],
    },
    {
      content: verdict,
      reasoning: "Tests pass; decide.",
      toolCalls: [{ name: "finish", arguments: { message: verdict } }],
    },
  ];
}
