import type { Recommendation } from "../review/report.js";

/** The events a GitHub pull-request review can be submitted with, weakest first. */
export const REVIEW_EVENTS = ["COMMENT", "REQUEST_CHANGES", "APPROVE"] as const;
/** A GitHub review event: `COMMENT`, `REQUEST_CHANGES` or `APPROVE`. */
export type ReviewEvent = (typeof REVIEW_EVENTS)[number];

/**
 * The event to submit: `COMMENT` unless the user allowed a stronger one and the verdict matches it (asking for
 * `REQUEST_CHANGES` never turns an approval into a rejection, nor `APPROVE` a rejection into an approval).
 */
export function reviewEvent(allowed: ReviewEvent, decision: Recommendation | null): ReviewEvent {
  if (allowed === "REQUEST_CHANGES" && decision === "request_changes") return "REQUEST_CHANGES";
  if (allowed === "APPROVE" && decision === "approve") return "APPROVE";
  return "COMMENT";
}
