import { type DecisionConvention, verdictOf } from "./decision-metrics.js";
import type { ScoreItem } from "./item.js";
import { pythonRound } from "./python-round.js";

/** Confidence buckets: [lower, upper), the last one closed. */
export const CONFIDENCE_BUCKETS: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.5, 0.6],
  [0.6, 0.7],
  [0.7, 0.8],
  [0.8, 0.9],
  [0.9, 1],
];

export interface CalibrationBucket {
  lower: number;
  upper: number;
  decisions: number;
  /** Share of correct decisions in the bucket, a percentage; null for an empty bucket. */
  accuracy: number | null;
  mean_confidence: number | null;
}

/** Accuracy by the reviewer's stated confidence, and the expected calibration error. */
export interface CalibrationFigures {
  /** Decisions with a confidence and a label. */
  decisions: number;
  /** Decisions given without a confidence. */
  without_confidence: number;
  buckets: CalibrationBucket[];
  /** Σ (bucket size / decisions) · |accuracy − mean confidence|, in percentage points. */
  expected_calibration_error: number;
}

export function calibrationFigures(
  items: readonly ScoreItem[],
  decisions: DecisionConvention,
): CalibrationFigures | undefined {
  const decided = items.filter((item) => item.label !== null && verdictOf(item, decisions) !== null);
  const rated = decided.filter((item) => item.confidence !== null);
  if (rated.length === 0) return undefined;
  let error = 0;
  const buckets = CONFIDENCE_BUCKETS.map(([lower, upper], index) => {
    const last = index === CONFIDENCE_BUCKETS.length - 1;
    const inBucket = rated.filter((item) => {
      const confidence = item.confidence ?? 0;
      return confidence >= lower && (confidence < upper || (last && confidence <= upper));
    });
    if (inBucket.length === 0) return { lower, upper, decisions: 0, accuracy: null, mean_confidence: null };
    const correct = inBucket.filter(
      (item) => (verdictOf(item, decisions) === "approve") === item.label,
    ).length;
    const accuracy = correct / inBucket.length;
    const confidence = inBucket.reduce((sum, item) => sum + (item.confidence ?? 0), 0) / inBucket.length;
    error += (inBucket.length / rated.length) * Math.abs(accuracy - confidence);
    return {
      lower,
      upper,
      decisions: inBucket.length,
      accuracy: pythonRound(accuracy * 100, 1),
      mean_confidence: pythonRound(confidence, 3),
    };
  });
  return {
    decisions: rated.length,
    without_confidence: decided.length - rated.length,
    buckets,
    expected_calibration_error: pythonRound(error * 100, 1),
  };
}
