import { describe, expect, it } from "vitest";
import { item } from "../../../test/helpers/score-items.js";
import { calibrationFigures } from "./calibration.js";
import { usageFigures } from "./usage-metrics.js";

describe("calibration", () => {
  it("gives accuracy and mean confidence per bucket and the expected calibration error", () => {
    const items = [
      item("a", true, "approve", { confidence: 0.95 }),
      item("b", false, "approve", { confidence: 0.92 }),
      item("c", false, "request_changes", { confidence: 1 }),
      item("d", true, "request_changes", { confidence: 0.55 }),
      item("e", true, "approve"),
      item("f", true, null, { confidence: 0.8 }),
    ];
    const figures = calibrationFigures(items, "strict");
    expect(figures).toMatchObject({ decisions: 4, without_confidence: 1 });
    expect(figures?.buckets.filter((bucket) => bucket.decisions > 0)).toEqual([
      { lower: 0.5, upper: 0.6, decisions: 1, accuracy: 0, mean_confidence: 0.55 },
      { lower: 0.9, upper: 1, decisions: 3, accuracy: 66.7, mean_confidence: 0.957 },
    ]);
    // ¾·|0.667 − 0.957| + ¼·|0 − 0.55| = 0.2175 + 0.1375
    expect(figures?.expected_calibration_error).toBe(35.5);
  });
});

describe("usage", () => {
  it("gives tokens and cost per review and per correct decision", () => {
    const usage = (tokens: number, cost: number) => ({
      promptTokens: tokens - 100,
      completionTokens: 100,
      cachedTokens: 0,
      costUsd: cost,
    });
    const items = [
      item("a", true, "approve", { usage: usage(1000, 0.01), steps: 10, seconds: 5 }),
      item("b", true, "request_changes", { usage: usage(3000, 0.03), steps: 30, seconds: 15 }),
      item("c", false, "request_changes", { usage: usage(2000, 0.02), steps: 20, seconds: 10 }),
      item("d", false, null, { status: "missing" }),
    ];
    expect(usageFigures(items, "strict")).toEqual({
      reviews: 3,
      total_tokens: 6000,
      mean_tokens: 2000,
      median_tokens: 2000,
      mean_prompt_tokens: 1900,
      mean_completion_tokens: 100,
      total_cost_usd: 0.06,
      mean_cost_usd: 0.02,
      correct_decisions: 2,
      tokens_per_correct: 3000,
      cost_per_correct_usd: 0.03,
      mean_tokens_correct: 1500,
      mean_tokens_incorrect: 3000,
      mean_steps: 20,
      mean_seconds: 10,
    });
  });
});
