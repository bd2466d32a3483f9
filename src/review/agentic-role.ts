import type { Role } from "../agent/role.js";
import { systemClock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import { agentSystemPrompt } from "../tools/openhands/system-prompt.js";
import { sandboxedToolset } from "../tools/openhands/toolset.js";
import { toolSpec } from "../tools/tool.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import { deliverablePath } from "../workspace/sandbox/sandbox.js";
import { reviewerInstruction } from "./instruction.js";
import type { ReviewOutcome } from "./outcome.js";
import { reportAsLeft, type ToolActivity } from "./report-as-left.js";
import { decideVerdict } from "./verdict.js";

export const REPORT_FILE = "review_report.json";

export interface AgenticReviewInput {
  /** Host-only state of the run (the editor's undo history, the task list): never visible to the agent. */
  workspace: { state: string };
  sandbox: OpenSandbox;
  /** Records when the agent's tools last acted (one per run): the report must not change after that. */
  activity: ToolActivity;
  maxSteps: number;
  securityRisk?: boolean;
  softTimeoutMs?: number;
  logger?: Logger;
}

/**
 * The agentic reviewer: explores the repository in its sandbox with the OpenHands toolset, traces the root cause,
 * applies and tests the patch, and writes `/review_report.json`. When it ends, its sandbox is closed before the
 * report is read, and the report is taken only as the agent's tools left it.
 */
export const agenticReviewer: Role<AgenticReviewInput, ReviewOutcome> = {
  name: "reviewer",
  instruction: ({ sandbox, maxSteps }) => ({
    system: agentSystemPrompt({ workdir: sandbox.paths.testbed }),
    task: reviewerInstruction(
      {
        testbed: sandbox.paths.testbed,
        reviewData: sandbox.paths.reviewData,
        report: deliverablePath(sandbox.paths, REPORT_FILE),
      },
      { maxSteps },
    ),
  }),
  tools: (input) => input.activity.watch(sandboxedToolset(input)),
  extract: async (run, input, context) => {
    // Nothing may touch the report from here on: every process in the sandbox is stopped before it is read.
    const left = await input.sandbox.collect([REPORT_FILE]);
    const reportFile = reportAsLeft(
      left[REPORT_FILE] ?? { kind: "missing" },
      input.activity.lastCallEndedAtMs,
    );
    if (reportFile.problem) input.logger?.warn({ reason: reportFile.problem }, "report file not used");
    return decideVerdict(run, {
      reportFile,
      model: context.model,
      tools: agenticReviewer.tools(input).map(toolSpec),
      trajectory: context.trajectory,
      clock: systemClock,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(input.logger ? { logger: input.logger } : {}),
    });
  },
};
