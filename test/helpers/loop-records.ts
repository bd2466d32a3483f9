import type { LoopRecord, SampleRecord } from "../../src/loop/records.js";
import type { Recommendation } from "../../src/review/report.js";

const usage = (tokens: number) => ({
  prompt_tokens: tokens,
  completion_tokens: 0,
  cached_tokens: 0,
  cost_usd: 0,
});

/**
 * A loop sample for metric tests: generation tokens, an optional review (decision and tokens) and the verified
 * outcome.
 */
export function sample(
  index: number,
  resolved: boolean | null,
  review?: { decision: Recommendation | null; tokens: number },
  generationTokens = 100_000,
): SampleRecord {
  return {
    sample: index,
    kind: index === 1 ? "generation" : "revision",
    dir: `rounds/0${index}`,
    patch_bytes: 100,
    generation: { status: "finished", usage: usage(generationTokens), steps: 3, seconds: 1 },
    ...(review
      ? {
          review: {
            decision: review.decision,
            confidence: 0.9,
            source: "report_file",
            usage: usage(review.tokens),
            steps: 2,
            seconds: 1,
            dir: `rounds/0${index}-review`,
          },
        }
      : {}),
    resolved,
  };
}

/** A loop record around the samples; the submitted sample is the approved one or the last. */
export function loopRecord(samples: SampleRecord[], budget: number, resolved: boolean | null): LoopRecord {
  const approved = samples.find((item) => item.review?.decision === "approve");
  return {
    version: 1,
    strategy: "iterative",
    budget,
    samples,
    samples_spent: samples.length,
    reviewer_calls: samples.filter((item) => item.review).length,
    submitted: approved?.sample ?? samples.at(-1)?.sample ?? null,
    outcome: approved ? "approved" : "none_approved",
    tokens: { generator: usage(0), reviewer: usage(0) },
    seconds: 1,
    resolved,
  };
}
