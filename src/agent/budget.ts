import { z } from "zod";
import { DEFAULT_MAX_STEPS } from "../config/schema.js";
import type { AgentStatus } from "../trajectory/schema.js";

/** Limits on one agent run. Reaching any of them gives the agent exactly one grace turn, then ends the run. */
export const BudgetSchema = z
  .object({
    /** Model turns; default `DEFAULT_MAX_STEPS` (100). */
    maxSteps: z.number().int().positive().default(DEFAULT_MAX_STEPS),
    /** Prompt plus completion tokens over all model calls. */
    maxTotalTokens: z.number().int().positive().optional(),
    /** Wall-clock milliseconds from the start of the run. */
    wallTimeMs: z.number().positive().optional(),
    /** US dollars, from the model's configured pricing (no limit in effect without one). */
    maxCostUsd: z.number().positive().optional(),
  })
  .strict();
/** Limits on one agent run, defaults applied; absent optional limits do not apply. See `BudgetSchema`. */
export type Budget = z.infer<typeof BudgetSchema>;
/** A budget as a caller writes it: every field optional (`maxSteps` defaults to 100). */
export type BudgetInput = z.input<typeof BudgetSchema>;

/** The agent statuses that mean a limit was reached (the run ended after its grace turn). */
export type LimitStatus = Extract<
  AgentStatus,
  "max_steps" | "max_tokens" | "timeout" | "cost_limit" | "context_limit"
>;

export interface Progress {
  steps: number;
  totalTokens: number;
  costUsd: number;
  elapsedMs: number;
}

/** The first limit the run has reached, if any. */
export function reachedLimit(budget: Budget, progress: Progress): LimitStatus | undefined {
  if (progress.steps >= budget.maxSteps) return "max_steps";
  if (budget.maxTotalTokens !== undefined && progress.totalTokens >= budget.maxTotalTokens)
    return "max_tokens";
  if (budget.maxCostUsd !== undefined && progress.costUsd >= budget.maxCostUsd) return "cost_limit";
  if (budget.wallTimeMs !== undefined && progress.elapsedMs >= budget.wallTimeMs) return "timeout";
  return undefined;
}

export function describeLimit(limit: LimitStatus, budget: Budget, contextLength?: number): string {
  switch (limit) {
    case "context_limit":
      return `the end of the model's context window (${contextLength ?? "?"} tokens)`;
    case "max_steps":
      return `the step limit (${budget.maxSteps} steps)`;
    case "max_tokens":
      return `the token limit (${budget.maxTotalTokens} tokens)`;
    case "cost_limit":
      return `the cost limit ($${budget.maxCostUsd})`;
    case "timeout":
      return `the time limit (${Math.round((budget.wallTimeMs ?? 0) / 1000)} s)`;
  }
}
