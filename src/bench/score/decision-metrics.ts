import type { ScoreItem } from "./item.js";
import { releasedPercent } from "./python-round.js";

/**
 * How a decision other than approve/request_changes counts. `released`: as a rejection in DA (the released
 * `compute_da`, reference §14.6). `strict`: as a model failure (ours: only the two decisions are decisions).
 */
export type DecisionConvention = "released" | "strict";

/**
 * Which items the denominators count. `dataset`: every labelled dataset item, an item without a review being a
 * model failure (ours). `reviewed`: only items that have a result (the released code, reference §14.7).
 */
export type DenominatorRule = "dataset" | "reviewed";

export interface Convention {
  decisions: DecisionConvention;
  denominators: DenominatorRule;
}

export interface DecisionFigures {
  /** Percentages ×100, one decimal, rounded as Python's round (reference §15); 0 when a denominator is 0. */
  CR: number;
  DA: number;
  DA_total_50: number;
  FAR: number;
  FRR: number;
  TP: number;
  FP: number;
  TN: number;
  FN: number;
  total: number;
  correct: number;
  produced: number;
  model_fail: number;
}

/** The verdict an item counts as: approve, reject, or none (a model failure). */
export function verdictOf(item: ScoreItem, decisions: DecisionConvention): "approve" | "reject" | null {
  switch (item.decision) {
    case "approve":
      return "approve";
    case "request_changes":
      return "reject";
    case "other":
      return decisions === "released" ? "reject" : null;
    default:
      return null;
  }
}

/** The items a convention's denominators count: labelled ones, and with `reviewed` only those with a result. */
export function countedItems(items: readonly ScoreItem[], denominators: DenominatorRule): ScoreItem[] {
  return items.filter(
    (item) => item.label !== null && (denominators === "dataset" || item.status !== "missing"),
  );
}

/**
 * CR, DA, DA_total_50, FAR and FRR with the released definitions (reference §6.2): DA = correct / produced,
 * DA_total_50 = (correct + 0.5·model_fail) / total (the paper's DA), CR = produced / total, FAR = FP / (FP + TN),
 * FRR = FN / (FN + TP).
 */
export function decisionFigures(items: readonly ScoreItem[], convention: Convention): DecisionFigures {
  let TP = 0;
  let FP = 0;
  let TN = 0;
  let FN = 0;
  let modelFail = 0;
  const counted = countedItems(items, convention.denominators);
  for (const item of counted) {
    const verdict = verdictOf(item, convention.decisions);
    if (verdict === null) modelFail += 1;
    else if (verdict === "approve" && item.label) TP += 1;
    else if (verdict === "approve") FP += 1;
    else if (item.label) FN += 1;
    else TN += 1;
  }
  const total = counted.length;
  const produced = total - modelFail;
  const correct = TP + TN;
  return {
    CR: releasedPercent(produced, total),
    DA: releasedPercent(correct, produced),
    DA_total_50: releasedPercent(correct + 0.5 * modelFail, total),
    FAR: releasedPercent(FP, FP + TN),
    FRR: releasedPercent(FN, FN + TP),
    TP,
    FP,
    TN,
    FN,
    total,
    correct,
    produced,
    model_fail: modelFail,
  };
}
