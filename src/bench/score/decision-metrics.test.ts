import { describe, expect, it } from "vitest";
import { item, missing, times } from "../../../test/helpers/score-items.js";
import { decisionFigures } from "./decision-metrics.js";

// Ten dataset items, hand-counted:
//   3 approve ∧ resolved (TP), 1 approve ∧ ¬resolved (FP), 2 request_changes ∧ ¬resolved (TN),
//   1 request_changes ∧ resolved (FN), 1 without a verdict (resolved), 1 "Approve" (¬resolved), 1 never reviewed (¬resolved).
const items = [
  ...times(3, (i) => item(`tp${i}`, true, "approve")),
  item("fp", false, "approve"),
  ...times(2, (i) => item(`tn${i}`, false, "request_changes")),
  item("fn", true, "request_changes"),
  item("fail", true, null),
  item("odd", false, "other", { decision_text: "Approve" }),
  missing("gone", false),
];

describe("decisionFigures (reference §6.2)", () => {
  it("released decisions, every dataset item counted: an unknown string is a rejection, a missing review a failure", () => {
    expect(decisionFigures(items, { decisions: "released", denominators: "dataset" })).toEqual({
      // correct 6 (TP 3 + TN 3) / produced 8; (6 + 0.5·2) / 10; 8 / 10; FP 1 / (1 + 3); FN 1 / (1 + 3)
      DA: 75,
      DA_total_50: 70,
      CR: 80,
      FAR: 25,
      FRR: 25,
      TP: 3,
      FP: 1,
      TN: 3,
      FN: 1,
      total: 10,
      correct: 6,
      produced: 8,
      model_fail: 2,
    });
  });

  it("strict decisions: an unknown string is a model failure", () => {
    const figures = decisionFigures(items, { decisions: "strict", denominators: "dataset" });
    // correct 5 / produced 7 = 71.43; (5 + 1.5) / 10; 7 / 10; 1 / 3; 1 / 4
    expect(figures).toMatchObject({ DA: 71.4, DA_total_50: 65, CR: 70, FAR: 33.3, FRR: 25 });
    expect(figures).toMatchObject({ TN: 2, model_fail: 3, produced: 7, total: 10 });
  });

  it("released denominators drop the item that has no review (reference §14.7)", () => {
    const figures = decisionFigures(items, { decisions: "released", denominators: "reviewed" });
    // (6 + 0.5) / 9 = 72.22; 8 / 9 = 88.89
    expect(figures).toMatchObject({ total: 9, model_fail: 1, DA: 75, DA_total_50: 72.2, CR: 88.9 });
  });

  it("leaves unlabelled items out and reports 0 for empty denominators", () => {
    const figures = decisionFigures([item("x", null, "approve"), item("y", true, null)], {
      decisions: "strict",
      denominators: "dataset",
    });
    expect(figures).toEqual({
      DA: 0,
      DA_total_50: 50,
      CR: 0,
      FAR: 0,
      FRR: 0,
      TP: 0,
      FP: 0,
      TN: 0,
      FN: 0,
      total: 1,
      correct: 0,
      produced: 0,
      model_fail: 1,
    });
  });
});
