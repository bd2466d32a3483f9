import type { Role } from "../agent/role.js";
import { systemClock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import { preChangeContext } from "./context-files.js";
import type { ReviewOutcome } from "./outcome.js";
import { decideVerdict } from "./verdict.js";

export type SingleTurnMode = "single-turn-diff" | "single-turn-context";

export interface SingleTurnInput {
  mode: SingleTurnMode;
  issue: string;
  patch: string;
  prTitle?: string;
  prBody?: string;
  /** The checkout at the base commit (for the pre-change files of the context mode). */
  checkout: string;
  logger?: Logger;
}

const REPORT_SHAPE = `{
  "decision": {"recommendation": "approve" | "request_changes", "confidence": 0.0-1.0},
  "summary": {"problem": "the root cause in one sentence", "solution": "what the patch changes and whether it addresses the root cause", "overall_assessment": "the verdict and its reason"},
  "defects": [{"severity": "high" | "medium" | "low", "category": "correctness" | "compatibility" | "security" | "performance" | "maintainability", "location": {"path": "file", "start_line": 1, "end_line": 1}, "description": "what is wrong", "suggestion": "how to fix it"}]
}`;

function systemPrompt(mode: SingleTurnMode): string {
  const context =
    mode === "single-turn-context"
      ? " You are also given the full pre-change versions of the files the patch touches (excerpts for long files): use them to understand the surrounding code and its conventions and to spot regressions the patch may cause."
      : "";
  return (
    "You are an expert code reviewer. You are given a bug report, a candidate patch (a unified diff) and its pull-request title and description." +
    context +
    " Decide whether the patch correctly fixes the reported problem at its root cause without breaking anything else.\n\n" +
    `Answer with ONLY a JSON object of this shape, nothing else:\n${REPORT_SHAPE}\n\n` +
    "Approve only a patch that fixes the root cause, with an empty defects list. If anything is wrong, request changes and list each specific defect with its location and a concrete suggestion."
  );
}

/** The user message of the single-turn baselines (reference §6.7), with the context section in context mode. */
export function singleTurnMessage(input: SingleTurnInput): string {
  const sections = [
    `## Issue\n\n${input.issue.trim() || "N/A"}`,
    `## Candidate Patch\n\n\`\`\`diff\n${input.patch}\n\`\`\``,
  ];
  if (input.prTitle?.trim()) sections.push(`## PR Title\n\n${input.prTitle}`);
  if (input.prBody?.trim()) sections.push(`## PR Description\n\n${input.prBody}`);
  if (input.mode === "single-turn-context") {
    const context = preChangeContext(input.patch, input.checkout);
    if (context)
      sections.push(`## Full source files affected by the patch (pre-change versions)\n\n${context}`);
  }
  return sections.join("\n\n");
}

/** The paper's single-turn baselines: one model call with the diff (and optionally the files), same report. */
export const singleTurnReviewer: Role<SingleTurnInput, ReviewOutcome> = {
  name: "reviewer-single-turn",
  instruction: (input) => ({ system: systemPrompt(input.mode), task: singleTurnMessage(input) }),
  tools: () => [],
  extract: (run, input, context) =>
    decideVerdict(run, {
      reportFile: {},
      model: context.model,
      tools: [],
      trajectory: context.trajectory,
      clock: systemClock,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(input.logger ? { logger: input.logger } : {}),
    }),
};
