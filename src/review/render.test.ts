import { describe, expect, it } from "vitest";
import type { ReviewOutcome } from "./outcome.js";
import { renderFeedback, renderMarkdown } from "./render.js";
import type { ReviewReport } from "./report.js";

const REPORT: ReviewReport = {
  decision: { recommendation: "request_changes", confidence: 0.97 },
  summary: {
    problem: "cancel(ret) result is discarded in _eval_det_bareiss.",
    solution: "The patch guards a NaN comparison in factor_terms.",
    overall_assessment: "Symptom fix.",
  },
  defects: [
    {
      severity: "high",
      category: "correctness",
      location: { path: "sympy/core/exprtools.py", start_line: 1179, end_line: 1189 },
      description: "Guards the symptom; f(6) still returns nan.",
      suggestion: "In sympy/matrices/matrices.py, assign ret = cancel(ret).",
    },
    { severity: "low", category: "maintainability", location: null, description: "", suggestion: "" },
  ],
};

describe("renderFeedback", () => {
  it("renders the published feedback format exactly", () => {
    expect(renderFeedback(REPORT)).toBe(
      [
        "**Problem identified:** cancel(ret) result is discarded in _eval_det_bareiss.",
        "**Assessment:** The patch guards a NaN comparison in factor_terms.",
        "**Overall:** Symptom fix.",
        "\n**Defects found:**",
        "1. [high] Guards the symptom; f(6) still returns nan. (sympy/core/exprtools.py:1179)",
        "   Suggestion: In sympy/matrices/matrices.py, assign ret = cancel(ret).",
        "2. [low] No description",
      ].join("\n"),
    );
  });

  it("says so when the reviewer gave nothing specific", () => {
    expect(renderFeedback(null)).toBe(
      "The reviewer requested changes but did not provide specific feedback.",
    );
    expect(
      renderFeedback({ summary: { problem: "", solution: "", overall_assessment: "" }, defects: [] }),
    ).toBe("The reviewer requested changes but did not provide specific feedback.");
  });
});

describe("renderMarkdown", () => {
  it("shows the verdict, summary, defects and facts", () => {
    const outcome: ReviewOutcome = {
      decision: "request_changes",
      report: REPORT,
      source: "report_file",
      status: "finished",
    };
    const text = renderMarkdown(outcome, {
      mode: "agentic",
      model: "SWE-Review-30B-A3B",
      steps: 21,
      usage: { promptTokens: 140_000, completionTokens: 8_000, cachedTokens: 0, costUsd: 0 },
      seconds: 133,
    });
    expect(text).toMatch(/^## swe-review: Request changes \(confidence 0\.97\)\n\n\*\*Problem:\*\* cancel/);
    expect(text).toContain("1. **high** · correctness · `sympy/core/exprtools.py:1179-1189`");
    expect(text).toContain(
      "_agentic review by SWE-Review-30B-A3B · 21 steps · 148.0K tokens · 2m 13s · status finished · verdict from the report file_",
    );
  });

  it("counts one step in the singular", () => {
    const outcome: ReviewOutcome = { decision: "request_changes", report: REPORT, source: "final_message" };
    const facts = { mode: "single-turn-diff", model: "m", seconds: 2 };
    expect(renderMarkdown(outcome, { ...facts, steps: 1 })).toContain(
      "_single-turn-diff review by m · 1 step · 2.0 s",
    );
    expect(renderMarkdown(outcome, { ...facts, steps: 0 })).toContain("· 0 steps ·");
  });

  it("explains a missing verdict", () => {
    const text = renderMarkdown(
      { decision: null, report: null, source: null, reason: "the run ended with model_error" },
      { mode: "agentic", model: "m", seconds: 1 },
    );
    expect(text).toMatch(
      /## swe-review: no verdict\n\nThe reviewer did not produce a decision: the run ended with model_error\./,
    );
  });
});
