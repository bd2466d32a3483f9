import type { ReviewOutcome } from "../review/outcome.js";
import { renderFeedback } from "../review/render.js";

/** What a coding agent should do next after a review. */
export const NEXT_ACTIONS = ["revise", "done", "rerun"] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

export interface RevisionGuidance {
  next: NextAction;
  /** The text a coding agent acts on. */
  text: string;
}

const REVISE_RULES = [
  "How to revise:",
  "- Fix the root cause the reviewer identified, where it lives, not only the symptom in the issue.",
  "- Address every defect above; a high-severity one means the change is not acceptable yet.",
  "- Keep the change focused on the issue; do not weaken, skip or delete tests to make them pass.",
  "- Then review the revised change again (review_patch, or review_and_revise_guidance on the working tree).",
];

/**
 * The guidance a coding agent acts on after a review: for a rejection, the reviewer's feedback in the form the
 * revision loop gives a generator (`renderFeedback`) and how to revise; for an approval, that it is done; for no
 * verdict, that there is nothing to act on and why.
 */
export function revisionGuidance(outcome: ReviewOutcome): RevisionGuidance {
  if (outcome.decision === "request_changes") {
    return {
      next: "revise",
      text: [
        "swe-review requested changes. Revise the change, then review it again.",
        "",
        renderFeedback(outcome.report),
        "",
        ...REVISE_RULES,
      ].join("\n"),
    };
  }
  if (outcome.decision === "approve") {
    const overall = outcome.report?.summary.overall_assessment;
    return {
      next: "done",
      text: `swe-review approved the change: no revision is needed.${overall ? `\n\n**Overall:** ${overall}` : ""}`,
    };
  }
  return {
    next: "rerun",
    text: `swe-review gave no verdict (${outcome.reason ?? "unknown reason"}), so there is nothing to revise yet. Check the reviewer model's server and run the review again.`,
  };
}
