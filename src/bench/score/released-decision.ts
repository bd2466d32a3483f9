/**
 * The released benchmark's `extract_decision` (reference §3.2), kept exactly as it behaves, for scoring files the
 * released tools wrote. It is not our tolerant report parser: `{"decision": "Approve"}` is the decision "Approve",
 * which the released DA counts as a rejection, and a top-level `recommendation` is never read.
 *
 * - no report (null or absent) → null;
 * - a `decision` key holding an object → its `recommendation` (null when absent);
 * - a `decision` key holding anything else → that value itself (a string, typically; `""` and `false` too);
 * - otherwise → null.
 *
 * A report that is not a JSON object (a string, a number, an array) has no `decision` key here: null. (Python would
 * test `"decision" in report` as a substring or membership test and then fail to index it.)
 */
export function releasedExtractDecision(report: unknown): unknown {
  if (report === null || report === undefined || typeof report !== "object" || Array.isArray(report)) {
    return null;
  }
  if (!Object.hasOwn(report, "decision")) return null;
  const decision = (report as { decision: unknown }).decision;
  if (decision !== null && typeof decision === "object" && !Array.isArray(decision)) {
    return Object.hasOwn(decision, "recommendation")
      ? ((decision as { recommendation: unknown }).recommendation ?? null)
      : null;
  }
  return decision ?? null;
}

/**
 * A decision as the scorer sees it: one of the two the benchmark defines, `other` for any other value the report
 * held (an unknown string, a number, `""`), or null for none at all.
 */
export type ScoredDecision = "approve" | "request_changes" | "other" | null;

/** Classifies the released `extract_decision` output: only the exact strings count as the two decisions. */
export function classifyReleasedDecision(value: unknown): ScoredDecision {
  if (value === null || value === undefined) return null;
  if (value === "approve" || value === "request_changes") return value;
  return "other";
}
