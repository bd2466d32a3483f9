import type { BudgetInput } from "../agent/budget.js";
import type { Config } from "../config/schema.js";

/** The agent budget the configuration sets. */
export function budgetFrom(config: Config): BudgetInput {
  return {
    maxSteps: config.agent.maxSteps,
    ...(config.agent.maxTotalTokens ? { maxTotalTokens: config.agent.maxTotalTokens } : {}),
    ...(config.agent.wallTimeSeconds ? { wallTimeMs: config.agent.wallTimeSeconds * 1000 } : {}),
    ...(config.agent.maxCostUsd ? { maxCostUsd: config.agent.maxCostUsd } : {}),
  };
}
