import type { ReviewOutcome } from "../review/outcome.js";
import { type ReviewFacts, renderMarkdown } from "../review/render.js";
import type { Defect } from "../review/report.js";
import type { PlacedDefect } from "./placement.js";

/** Marks the review swe-review posted for a head commit; the same marker finds it again on the next run. */
export const REVIEW_MARKER = "<!-- swe-review:review";
/** Marks a review a newer one replaced, so later runs leave it alone. */
export const SUPERSEDED_MARKER = "<!-- swe-review:superseded -->";

export function reviewMarker(headSha: string): string {
  return `${REVIEW_MARKER} head=${headSha} -->`;
}

export interface BodyContext {
  headSha: string;
  /** What the change was reviewed against: "#12", or a sentence about the description. */
  issueSource: string;
  /** Binary files left out of the review. */
  binary: string[];
  facts: ReviewFacts;
}

/**
 * The review's body: the hidden marker, the verdict and summary, the defects that are not inline comments (with
 * their locations), and what was reviewed. Defects placed on changed lines are only counted here.
 */
export function reviewBody(
  outcome: ReviewOutcome,
  placed: readonly PlacedDefect[],
  context: BodyContext,
): string {
  const inBody = placed.filter((item) => !item.anchor).map((item) => item.defect);
  const inline = placed.length - inBody.length;
  const shown: ReviewOutcome = outcome.report
    ? { ...outcome, report: { ...outcome.report, defects: inBody } }
    : outcome;
  const notes: string[] = [];
  if (inline > 0) {
    notes.push(
      inline === 1
        ? "1 defect is commented inline, on the changed lines."
        : `${inline} defects are commented inline, on the changed lines.`,
    );
  }
  notes.push(`Reviewed against ${context.issueSource}, at commit ${context.headSha.slice(0, 7)}.`);
  if (context.binary.length > 0) notes.push(`Binary files not reviewed: ${context.binary.join(", ")}.`);
  return [
    reviewMarker(context.headSha),
    renderMarkdown(shown, context.facts).trimEnd(),
    ...notes.map((note) => `\n_${note}_`),
    "",
  ].join("\n");
}

/** An inline comment's text: severity and category, the description, the suggestion. */
export function inlineCommentBody(defect: Defect, anchor: { line: number; start_line?: number }): string {
  const lines = [`**${defect.severity}** · ${defect.category} · _swe-review_`, "", defect.description];
  if (defect.suggestion) lines.push("", `*Suggestion:* ${defect.suggestion}`);
  const location = defect.location;
  const reported = location?.start_line ?? null;
  const reportedEnd = location?.end_line ?? reported;
  const start = anchor.start_line ?? anchor.line;
  if (reported !== null && (reported !== start || (reportedEnd ?? reported) !== anchor.line)) {
    lines.push("", `_Reported at lines ${reported}–${reportedEnd}; only the changed part is marked._`);
  }
  return lines.join("\n");
}

/** What an earlier review's body becomes once a newer review replaces it. */
export function supersededBody(newReviewUrl: string, headSha: string): string {
  return `${SUPERSEDED_MARKER}\n_Superseded by [swe-review's review of ${headSha.slice(0, 7)}](${newReviewUrl})._\n`;
}
