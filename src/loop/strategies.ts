import { renderFeedback } from "../review/render.js";
import type { Recommendation, ReviewReport } from "../review/report.js";

/** A generated candidate: the patch and the PR text that goes with it. */
export interface LoopCandidate {
  patch: string;
  prTitle?: string;
  prBody?: string;
}

/** What a strategy can do; the loop runner supplies real generations and reviews, tests small ones. */
export interface LoopSteps {
  /** Sample `n`: a fresh generation, or a revision of the previous patch with the reviewer's feedback. */
  generate(n: number, revision?: { feedback: string; previousPatch: string }): Promise<LoopCandidate>;
  review(
    n: number,
    candidate: LoopCandidate,
  ): Promise<{ decision: Recommendation | null; report: ReviewReport | null }>;
}

/** What a strategy decided: which sample to submit and why the loop ended. */
export interface StrategyResult {
  /** The sample submitted, or null when there is nothing to submit. */
  submitted: number | null;
  /**
   * `approved`: the reviewer approved the submitted sample; `none_approved`: the budget ran out with no approval (a
   * fallback was submitted); `no_verdict`: the reviewer gave no verdict (on every sample, for gated and best-of-n).
   */
  outcome: "approved" | "none_approved" | "no_verdict";
}

/**
 * What the iterative strategy does with a review that has no verdict: `stop` submits the current sample, `reject`
 * treats it as a rejection and revises (with the feedback there is).
 */
export type NoVerdictPolicy = "stop" | "reject";
/**
 * Which sample gated and best-of-n submit when none is approved: the `last` one, or the `most-confident` (the one
 * the reviewer leaned most towards approving, see `approvalScore`; ties go to the earlier sample).
 */
export type Fallback = "last" | "most-confident";

interface Reviewed {
  n: number;
  decision: Recommendation | null;
  confidence: number | null;
}

/**
 * Review-guided iterative revision (reference §8.1): generate; review; stop at approval; otherwise revise with the
 * feedback, up to `budget` samples. The last sample is submitted without a review (nothing could replace it). A
 * review without a verdict either stops the loop (keeping the current patch) or counts as a rejection.
 */
export async function iterative(
  steps: LoopSteps,
  budget: number,
  options: { noVerdict: NoVerdictPolicy },
): Promise<StrategyResult> {
  let candidate = await steps.generate(1);
  for (let n = 1; n < budget; n++) {
    const review = await steps.review(n, candidate);
    if (review.decision === "approve") return { submitted: n, outcome: "approved" };
    if (review.decision === null && options.noVerdict === "stop")
      return { submitted: n, outcome: "no_verdict" };
    candidate = await steps.generate(n + 1, {
      feedback: renderFeedback(review.report),
      previousPatch: candidate.patch,
    });
  }
  return { submitted: budget, outcome: "none_approved" };
}

/**
 * Reviewer-gated resampling: independent samples until one is approved, at most `budget`. When none is, the last
 * one, or the one the reviewer rejected least confidently.
 */
export async function gated(
  steps: LoopSteps,
  budget: number,
  options: { fallback: Fallback },
): Promise<StrategyResult> {
  const reviewed: Reviewed[] = [];
  for (let n = 1; n <= budget; n++) {
    const candidate = await steps.generate(n);
    const review = await steps.review(n, candidate);
    if (review.decision === "approve") return { submitted: n, outcome: "approved" };
    reviewed.push({ n, decision: review.decision, confidence: review.report?.decision.confidence ?? null });
  }
  return fallbackOf(reviewed, options.fallback);
}

/** Best-of-N by reviewer: N independent samples, all reviewed; the approved one with the highest confidence. */
export async function bestOfN(
  steps: LoopSteps,
  budget: number,
  options: { fallback: Fallback },
): Promise<StrategyResult> {
  const reviewed: Reviewed[] = [];
  for (let n = 1; n <= budget; n++) {
    const candidate = await steps.generate(n);
    const review = await steps.review(n, candidate);
    reviewed.push({ n, decision: review.decision, confidence: review.report?.decision.confidence ?? null });
  }
  const approved = reviewed.filter((r) => r.decision === "approve");
  if (approved.length > 0) return { submitted: best(approved).n, outcome: "approved" };
  return fallbackOf(reviewed, options.fallback);
}

function fallbackOf(reviewed: Reviewed[], fallback: Fallback): StrategyResult {
  const outcome = reviewed.every((r) => r.decision === null) ? "no_verdict" : "none_approved";
  if (reviewed.length === 0) return { submitted: null, outcome };
  const chosen = fallback === "last" ? (reviewed.at(-1) as Reviewed) : best(reviewed);
  return { submitted: chosen.n, outcome };
}

/**
 * How much the reviewer leans towards approving: approvals above rejections, confident approvals first, then
 * rejections the reviewer was least sure of; no verdict sits in the middle. Ties go to the earlier sample.
 */
export function approvalScore(review: Pick<Reviewed, "decision" | "confidence">): number {
  const confidence = review.confidence ?? 0.5;
  if (review.decision === "approve") return 1 + confidence;
  if (review.decision === "request_changes") return 1 - confidence;
  return 0.5;
}

function best(reviewed: Reviewed[]): Reviewed {
  return reviewed.reduce((a, b) => (approvalScore(b) > approvalScore(a) ? b : a));
}
