import { describe, expect, it } from "vitest";
import type { Recommendation, ReviewReport } from "../review/report.js";
import { bestOfN, gated, iterative, type LoopSteps } from "./strategies.js";

type Verdict = [Recommendation | null, number | null];

/** Steps that play given verdicts and record what was asked of them. */
function steps(verdicts: Verdict[]) {
  const calls: string[] = [];
  const feedback: string[] = [];
  const fake: LoopSteps = {
    generate: async (n, revision) => {
      calls.push(revision ? `revise ${n}` : `generate ${n}`);
      if (revision) feedback.push(`${revision.previousPatch} <- ${revision.feedback}`);
      return { patch: `patch ${n}` };
    },
    review: async (n) => {
      calls.push(`review ${n}`);
      const [decision, confidence] = verdicts[n - 1] ?? [null, null];
      const report: ReviewReport | null =
        decision === null
          ? null
          : {
              decision: { recommendation: decision, confidence },
              summary: { problem: `problem ${n}`, solution: "", overall_assessment: "" },
              defects: [],
            };
      return { decision, report };
    },
  };
  return { fake, calls, feedback };
}

describe("iterative", () => {
  it("revises with the feedback until approval and stops there", async () => {
    const { fake, calls, feedback } = steps([
      ["request_changes", 0.9],
      ["approve", 0.95],
    ]);
    expect(await iterative(fake, 5, { noVerdict: "stop" })).toEqual({ submitted: 2, outcome: "approved" });
    expect(calls).toEqual(["generate 1", "review 1", "revise 2", "review 2"]);
    expect(feedback).toEqual(["patch 1 <- **Problem identified:** problem 1"]);
  });

  it("spends the whole budget without reviewing the last sample, which is submitted", async () => {
    const { fake, calls } = steps([
      ["request_changes", 0.9],
      ["request_changes", 0.8],
    ]);
    expect(await iterative(fake, 3, { noVerdict: "stop" })).toEqual({
      submitted: 3,
      outcome: "none_approved",
    });
    expect(calls).toEqual(["generate 1", "review 1", "revise 2", "review 2", "revise 3"]);
  });

  it("stops at a review without a verdict, or treats it as a rejection", async () => {
    const stop = steps([[null, null]]);
    expect(await iterative(stop.fake, 5, { noVerdict: "stop" })).toEqual({
      submitted: 1,
      outcome: "no_verdict",
    });
    const reject = steps([
      [null, null],
      ["approve", 0.9],
    ]);
    expect(await iterative(reject.fake, 5, { noVerdict: "reject" })).toEqual({
      submitted: 2,
      outcome: "approved",
    });
    expect(reject.feedback).toEqual([
      "patch 1 <- The reviewer requested changes but did not provide specific feedback.",
    ]);
  });
});

describe("gated", () => {
  it("draws independent samples until the first approval", async () => {
    const { fake, calls } = steps([
      ["request_changes", 0.9],
      ["request_changes", 0.6],
      ["approve", 0.7],
    ]);
    expect(await gated(fake, 5, { fallback: "last" })).toEqual({ submitted: 3, outcome: "approved" });
    expect(calls.filter((c) => c.startsWith("generate"))).toHaveLength(3);
    expect(calls.some((c) => c.startsWith("revise"))).toBe(false);
  });

  it("submits the last, or the least confidently rejected, when none is approved", async () => {
    const verdicts: Verdict[] = [
      ["request_changes", 0.9],
      ["request_changes", 0.55],
      ["request_changes", 0.8],
    ];
    expect(await gated(steps(verdicts).fake, 3, { fallback: "last" })).toEqual({
      submitted: 3,
      outcome: "none_approved",
    });
    expect(await gated(steps(verdicts).fake, 3, { fallback: "most-confident" })).toEqual({
      submitted: 2,
      outcome: "none_approved",
    });
    expect(
      await gated(
        steps([
          [null, null],
          [null, null],
        ]).fake,
        2,
        { fallback: "last" },
      ),
    ).toEqual({ submitted: 2, outcome: "no_verdict" });
  });
});

describe("best-of-n", () => {
  it("reviews every sample and submits the most confidently approved one", async () => {
    const { fake, calls } = steps([
      ["approve", 0.7],
      ["request_changes", 0.9],
      ["approve", 0.92],
      ["approve", 0.8],
    ]);
    expect(await bestOfN(fake, 4, { fallback: "last" })).toEqual({ submitted: 3, outcome: "approved" });
    expect(calls.filter((c) => c.startsWith("review"))).toHaveLength(4);
  });
});
