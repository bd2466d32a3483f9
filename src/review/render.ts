import type { Usage } from "../model/types.js";
import { usageOf } from "../model/usage-record.js";
import type { ReviewOutcome } from "./outcome.js";
import type { Defect, ReviewReport } from "./report.js";
import type { ReportFile } from "./report-file.js";

/**
 * The feedback text a generator revises against (reference §5.6): the summary's parts, then the numbered defects
 * with their location and suggestion. Confidence, category and end line are not shown.
 */
export function renderFeedback(report: Pick<ReviewReport, "summary" | "defects"> | null): string {
  const lines: string[] = [];
  if (report) {
    const { summary } = report;
    if (summary.problem) lines.push(`**Problem identified:** ${summary.problem}`);
    if (summary.solution) lines.push(`**Assessment:** ${summary.solution}`);
    if (summary.overall_assessment) lines.push(`**Overall:** ${summary.overall_assessment}`);
    if (report.defects.length > 0) {
      lines.push("\n**Defects found:**");
      report.defects.forEach((defect, index) => {
        const location = defect.location
          ? ` (${defect.location.path}:${defect.location.start_line ?? ""})`
          : "";
        lines.push(
          `${index + 1}. [${defect.severity || "unknown"}] ${defect.description || "No description"}${location}`,
        );
        if (defect.suggestion) lines.push(`   Suggestion: ${defect.suggestion}`);
      });
    }
  }
  return lines.length > 0
    ? lines.join("\n")
    : "The reviewer requested changes but did not provide specific feedback.";
}

/**
 * The facts of a finished review shown beside its report: reviewer mode, model name, steps, usage and duration.
 */
export interface ReviewFacts {
  mode: string;
  /** The model's name. */
  model: string;
  /** Absent when unknown. */
  steps?: number;
  /** Absent when unknown. */
  usage?: Usage;
  /** Wall-clock seconds. */
  seconds: number;
}

/** The facts line of a finished review, from its report file. */
export function reportFacts(
  file: Pick<ReportFile, "mode" | "model" | "steps" | "usage" | "seconds">,
): ReviewFacts {
  return {
    mode: file.mode,
    model: file.model.name,
    steps: file.steps,
    usage: usageOf(file.usage),
    seconds: file.seconds,
  };
}

const SOURCE_TEXT: Record<NonNullable<ReviewOutcome["source"]>, string> = {
  report_file: "the report file",
  finish_message: "the finish message",
  final_message: "the final message",
  forced_turn: "a final report request",
  precheck: "a check of the patch (no model call)",
};

/** A readable summary of a review for the terminal or a pull-request comment. */
export function renderMarkdown(outcome: ReviewOutcome, facts: ReviewFacts): string {
  const out: string[] = [];
  const report = outcome.report;
  if (!outcome.decision || !report) {
    out.push(
      "## swe-review: no verdict",
      "",
      `The reviewer did not produce a decision: ${outcome.reason ?? "unknown reason"}.`,
    );
  } else {
    const verdict = outcome.decision === "approve" ? "Approve" : "Request changes";
    const confidence =
      report.decision.confidence === null ? "" : ` (confidence ${report.decision.confidence.toFixed(2)})`;
    out.push(`## swe-review: ${verdict}${confidence}`, "");
    const { problem, solution, overall_assessment: overall } = report.summary;
    if (problem) out.push(`**Problem:** ${problem}`, "");
    if (solution) out.push(`**Patch:** ${solution}`, "");
    if (overall) out.push(`**Assessment:** ${overall}`, "");
    if (report.defects.length > 0) {
      out.push("### Defects", "");
      out.push(...report.defects.flatMap((defect, index) => renderDefect(defect, index + 1)));
    }
  }
  const parts = [`${facts.mode} review by ${facts.model}`];
  if (facts.steps !== undefined) parts.push(`${facts.steps} step${facts.steps === 1 ? "" : "s"}`);
  if (facts.usage) {
    parts.push(`${formatTokens(facts.usage.promptTokens + facts.usage.completionTokens)} tokens`);
    if (facts.usage.costUsd > 0) parts.push(`$${facts.usage.costUsd.toFixed(2)}`);
  }
  parts.push(formatSeconds(facts.seconds));
  if (outcome.status) parts.push(`status ${outcome.status}`);
  if (outcome.source) parts.push(`verdict from ${SOURCE_TEXT[outcome.source]}`);
  out.push("", `_${parts.join(" · ")}_`);
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}

function renderDefect(defect: Defect, number: number): string[] {
  const where = defect.location
    ? ` · \`${defect.location.path}${defect.location.start_line === null ? "" : `:${defect.location.start_line}${defect.location.end_line !== null && defect.location.end_line !== defect.location.start_line ? `-${defect.location.end_line}` : ""}`}\``
    : "";
  const lines = [`${number}. **${defect.severity}** · ${defect.category}${where}`];
  if (defect.description) lines.push(`   ${defect.description}`);
  if (defect.suggestion) lines.push(`   *Suggestion:* ${defect.suggestion}`);
  lines.push("");
  return lines;
}

/** A token count for people: `950`, `12.3K`, `1.25M`. */
export function formatTokens(tokens: number): string {
  if (tokens >= 1e6) return `${(tokens / 1e6).toFixed(2)}M`;
  if (tokens >= 1e3) return `${(tokens / 1e3).toFixed(1)}K`;
  return String(tokens);
}

/** A duration in seconds for people: `42.0 s` under a minute, `3m 07s` above. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(Math.round(seconds - minutes * 60)).padStart(2, "0")}s`;
}
