import { parseReviewReport, type Recommendation } from "../../review/report.js";
import type { AtifStep } from "../../trajectory/formats/atif-schema.js";
import { atifText } from "../../trajectory/formats/atif-schema.js";

const HEREDOC = /cat\s+>\s*\S*review_report\S*\s+<<\s*'?(\w+)'?\n([\s\S]*?)\n\1/;

/**
 * The decision in the review report an agent wrote, read from an ATIF trajectory where harbor's runner leaves it
 * (reference §10.2): the last `file_editor` create of a path containing `review_report`, or a terminal heredoc
 * into one; failing those, the last agent message that holds a report. Null when there is none.
 */
export function reportFromAtifSteps(steps: readonly AtifStep[]): Recommendation | null {
  for (const step of [...steps].reverse()) {
    for (const call of [...(step.tool_calls ?? [])].reverse()) {
      const args = call.arguments;
      const path = typeof args.path === "string" ? args.path : "";
      if (path.includes("review_report") && typeof args.file_text === "string") {
        const report = parseReviewReport(args.file_text);
        if (report.ok) return report.report.decision.recommendation;
      }
      const command = typeof args.command === "string" ? HEREDOC.exec(args.command) : null;
      if (command?.[2]) {
        const report = parseReviewReport(command[2]);
        if (report.ok) return report.report.decision.recommendation;
      }
    }
  }
  for (const step of [...steps].reverse()) {
    if (step.source !== "agent") continue;
    const report = parseReviewReport(atifText(step.message));
    if (report.ok) return report.report.decision.recommendation;
  }
  return null;
}
