import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../common/errors.js";
import { type ReviewOutcome, ReviewOutcomeSchema } from "../review/outcome.js";
import { parseReviewReport } from "../review/report.js";

/**
 * A review the caller already has, as an outcome: `report.json` (what `review_patch` returns as structured
 * content), a bare review report in any variant `parseReviewReport` reads, or the JSON text of either.
 */
export function outcomeFromGiven(value: unknown, given: string): ReviewOutcome {
  const parsed = typeof value === "string" ? parseJsonOrText(value) : value;
  if (isOutcomeShaped(parsed)) {
    const outcome = ReviewOutcomeSchema.safeParse(parsed);
    if (!outcome.success) {
      throw new InputError(
        "report_invalid",
        `${given} looks like report.json but is not valid: ${outcome.error.issues[0]?.message ?? "bad shape"} at ${outcome.error.issues[0]?.path.join(".") ?? "?"}. Pass report.json as review_patch returned it.`,
      );
    }
    return outcome.data;
  }
  const report = parseReviewReport(parsed);
  if (!report.ok) {
    throw new InputError(
      "report_invalid",
      `${given} is not a review report (${report.reason}). Pass report.json or the report review_patch returned.`,
    );
  }
  return { decision: report.report.decision.recommendation, report: report.report, source: null };
}

/** The outcome in a report file on disk (`report.json`). */
export function outcomeFromFile(path: string, cwd: string): ReviewOutcome {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new InputError("report_missing", `report_path ${path}: no such file (resolved to ${file}).`);
  }
  return outcomeFromGiven(readFileSync(file, "utf8"), `report_path ${path}`);
}

/** `report.json` has a top-level decision (a string or null) beside the report object (or null). */
function isOutcomeShaped(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return (
    "report" in object &&
    (object.report === null || typeof object.report === "object") &&
    (object.decision === null || typeof object.decision === "string")
  );
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
