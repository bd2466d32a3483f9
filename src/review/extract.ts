import type { AgentRun } from "../agent/run-agent.js";
import type { ReviewOutcome } from "./outcome.js";
import { type ParsedReport, parseReviewReport } from "./report.js";
import type { ReportAsLeft } from "./report-as-left.js";

/**
 * The verdict an agent run already holds, in the order the trained reviewers deliver it: the report file it wrote
 * (`/review_report.json`), the `finish` message, or its final text answer. Undefined, with the reasons, when none
 * holds a valid report. A report file that was not used says why in the outcome's `reason`.
 */
export function verdictFromRun(
  run: AgentRun,
  reportFile: ReportAsLeft,
): { outcome: ReviewOutcome } | { outcome?: undefined; reasons: string[] } {
  const reasons: string[] = [];
  const attempt = (
    source: NonNullable<ReviewOutcome["source"]>,
    text: string | undefined,
    missing: string,
  ) => {
    if (text === undefined) {
      reasons.push(missing);
      return undefined;
    }
    const parsed: ParsedReport = parseReviewReport(text);
    if (parsed.ok) {
      return {
        decision: parsed.report.decision.recommendation,
        report: parsed.report,
        source,
        status: run.status,
      };
    }
    reasons.push(`${source.replace("_", " ")}: ${parsed.reason}`);
    return undefined;
  };
  const fromFile = attempt(
    "report_file",
    reportFile.text,
    reportFile.problem ?? "no report file was written",
  );
  if (fromFile) return { outcome: fromFile };
  const lastAssistant = [...run.messages].reverse().find((message) => message.role === "assistant");
  const finished =
    lastAssistant?.role === "assistant" && lastAssistant.toolCalls.some((call) => call.name === "finish");
  const fromFinish = attempt(
    finished ? "finish_message" : "final_message",
    run.finishMessage,
    "no final message",
  );
  if (fromFinish) {
    return { outcome: reportFile.problem ? { ...fromFinish, reason: reportFile.problem } : fromFinish };
  }
  return { reasons };
}
