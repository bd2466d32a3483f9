import { describe, expect, it } from "vitest";
import { parseReviewReport } from "./report.js";

const FULL = {
  decision: { recommendation: "request_changes", confidence: 0.93 },
  summary: { problem: "p", solution: "s", overall_assessment: "o" },
  defects: [
    {
      severity: "high",
      category: "correctness",
      location: { path: "sympy/core/exprtools.py", start_line: 1179, end_line: 1189 },
      description: "guards the symptom",
      suggestion: "fix cancel(ret)",
    },
  ],
};

describe("parseReviewReport", () => {
  it("reads the published report shape as is", () => {
    expect(parseReviewReport(FULL)).toEqual({ ok: true, report: FULL });
  });

  it.each([
    ["a string decision", { decision: "approve" }, "approve"],
    ["a top-level recommendation", { recommendation: "request_changes" }, "request_changes"],
    ["a boolean bug_fixed", { bug_fixed: true }, "approve"],
    ["bug_fixed false", { bug_fixed: false }, "request_changes"],
    [
      "a synonym with spaces and case",
      { decision: { recommendation: "Request Changes" } },
      "request_changes",
    ],
    ["'approved'", { decision: "APPROVED" }, "approve"],
    ["'reject'", { decision: { recommendation: "reject" } }, "request_changes"],
  ])("accepts %s", (_name, input, decision) => {
    const parsed = parseReviewReport(input);
    expect(parsed.ok && parsed.report.decision.recommendation).toBe(decision);
  });

  it("finds the report in fences, in prose, or cut off and repairs it", () => {
    const fenced =
      'Here is my review:\n```json\n{"decision": {"recommendation": "approve", "confidence": 0.9}}\n```\nDone.';
    expect(parseReviewReport(fenced)).toMatchObject({
      ok: true,
      report: { decision: { recommendation: "approve" } },
    });
    const prose =
      'I wrote {"decision": {"recommendation": "request_changes", "confidence": "85%"}, "defects": []} to the file.';
    expect(parseReviewReport(prose)).toMatchObject({ ok: true, report: { decision: { confidence: 0.85 } } });
    const cut =
      '{"decision": {"recommendation": "approve", "confidence": 0.9}, "summary": {"problem": "trailing';
    expect(parseReviewReport(cut)).toMatchObject({ ok: true, report: { summary: { problem: "trailing" } } });
    const singleQuotes = "{'decision': {'recommendation': 'approve',}, }";
    expect(parseReviewReport(singleQuotes)).toMatchObject({ ok: true });
  });

  it("normalises summaries, defects and confidences", () => {
    const parsed = parseReviewReport({
      decision: { recommendation: "request_changes", confidence: 90 },
      summary: "Only a symptom fix.",
      defects: [
        "a plain string defect",
        { severity: "CRITICAL", file: "a.py", issue: "boom", location: null },
      ],
    });
    expect(parsed).toEqual({
      ok: true,
      report: {
        decision: { recommendation: "request_changes", confidence: 0.9 },
        summary: { problem: "", solution: "", overall_assessment: "Only a symptom fix." },
        defects: [
          {
            severity: "medium",
            category: "correctness",
            location: null,
            description: "a plain string defect",
            suggestion: "",
          },
          {
            severity: "medium",
            category: "correctness",
            location: { path: "a.py", start_line: null, end_line: null },
            description: "boom",
            suggestion: "",
          },
        ],
      },
    });
  });

  it("says why there is no decision", () => {
    expect(parseReviewReport("no json here")).toEqual({ ok: false, reason: "no JSON object found" });
    expect(parseReviewReport({ summary: "x" })).toEqual({ ok: false, reason: "the report has no decision" });
    expect(parseReviewReport({ decision: "maybe" })).toEqual({
      ok: false,
      reason: 'unknown recommendation "maybe"',
    });
  });
});
