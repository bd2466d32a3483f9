import { type DecisionConvention, verdictOf } from "./decision-metrics.js";
import { type ScoreItem, usageTokens } from "./item.js";
import { pythonRound } from "./python-round.js";

/** Tokens, cost, steps and time of the reviews (items with a review and a usage record; not loop items). */
export interface UsageFigures {
  reviews: number;
  total_tokens: number;
  mean_tokens: number;
  median_tokens: number;
  mean_prompt_tokens: number;
  mean_completion_tokens: number;
  total_cost_usd: number;
  mean_cost_usd: number;
  correct_decisions: number;
  /** Total tokens (and cost) over the number of correct decisions (the paper's Table 13 column). */
  tokens_per_correct: number | null;
  cost_per_correct_usd: number | null;
  mean_tokens_correct: number | null;
  mean_tokens_incorrect: number | null;
  mean_steps: number;
  mean_seconds: number;
}

export function reviewUsageItems(items: readonly ScoreItem[]): ScoreItem[] {
  return items.filter((item) => item.usage && !item.loop && item.status === "done");
}

export function usageFigures(
  items: readonly ScoreItem[],
  decisions: DecisionConvention,
): UsageFigures | undefined {
  const reviews = reviewUsageItems(items);
  if (reviews.length === 0) return undefined;
  const tokens = reviews.map((item) => (item.usage ? usageTokens(item.usage) : 0));
  const cost = reviews.reduce((sum, item) => sum + (item.usage?.costUsd ?? 0), 0);
  const outcome = reviews.map((item) => {
    const verdict = verdictOf(item, decisions);
    if (verdict === null || item.label === null) return undefined;
    return (verdict === "approve") === item.label;
  });
  const correct = outcome.filter((value) => value === true).length;
  const totalTokens = tokens.reduce((sum, value) => sum + value, 0);
  const tokensWhere = (wanted: boolean) => tokens.filter((_, index) => outcome[index] === wanted);
  return {
    reviews: reviews.length,
    total_tokens: totalTokens,
    mean_tokens: Math.round(totalTokens / reviews.length),
    median_tokens: Math.round(median(tokens)),
    mean_prompt_tokens: Math.round(meanOf(reviews.map((item) => item.usage?.promptTokens ?? 0))),
    mean_completion_tokens: Math.round(meanOf(reviews.map((item) => item.usage?.completionTokens ?? 0))),
    total_cost_usd: pythonRound(cost, 4),
    mean_cost_usd: pythonRound(cost / reviews.length, 4),
    correct_decisions: correct,
    tokens_per_correct: correct > 0 ? Math.round(totalTokens / correct) : null,
    cost_per_correct_usd: correct > 0 ? pythonRound(cost / correct, 4) : null,
    mean_tokens_correct: nullableMean(tokensWhere(true)),
    mean_tokens_incorrect: nullableMean(tokensWhere(false)),
    mean_steps: pythonRound(meanOf(reviews.map((item) => item.steps ?? 0)), 1),
    mean_seconds: pythonRound(meanOf(reviews.map((item) => item.seconds ?? 0)), 1),
  };
}

function meanOf(values: readonly number[]): number {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
}

function nullableMean(values: readonly number[]): number | null {
  return values.length > 0 ? Math.round(meanOf(values)) : null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
