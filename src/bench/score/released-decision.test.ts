import { describe, expect, it } from "vitest";
import { classifyReleasedDecision, releasedExtractDecision } from "./released-decision.js";

describe("releasedExtractDecision (reference §3.2)", () => {
  it("reads decision.recommendation, or a decision given as a plain value", () => {
    expect(releasedExtractDecision({ decision: { recommendation: "approve", confidence: 0.9 } })).toBe(
      "approve",
    );
    expect(releasedExtractDecision({ decision: "request_changes" })).toBe("request_changes");
    expect(releasedExtractDecision({ decision: "Approve" })).toBe("Approve");
    expect(releasedExtractDecision({ decision: "" })).toBe("");
    expect(releasedExtractDecision({ decision: false })).toBe(false);
    expect(releasedExtractDecision({ decision: ["approve"] })).toEqual(["approve"]);
  });

  it("has no decision without a report, a decision key or a recommendation, and never reads the legacy keys", () => {
    expect(releasedExtractDecision(null)).toBeNull();
    expect(releasedExtractDecision(undefined)).toBeNull();
    expect(releasedExtractDecision({ decision: null })).toBeNull();
    expect(releasedExtractDecision({ decision: { confidence: 0.5 } })).toBeNull();
    expect(releasedExtractDecision({ recommendation: "approve" })).toBeNull();
    expect(releasedExtractDecision({ bug_fixed: true })).toBeNull();
    expect(releasedExtractDecision('{"decision": "approve"}')).toBeNull();
  });

  it("classifies only the exact strings as the two decisions", () => {
    expect(classifyReleasedDecision("approve")).toBe("approve");
    expect(classifyReleasedDecision("request_changes")).toBe("request_changes");
    expect(classifyReleasedDecision("Approve")).toBe("other");
    expect(classifyReleasedDecision("reject")).toBe("other");
    expect(classifyReleasedDecision("")).toBe("other");
    expect(classifyReleasedDecision(false)).toBe("other");
    expect(classifyReleasedDecision(null)).toBeNull();
  });
});
