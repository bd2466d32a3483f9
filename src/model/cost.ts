import type { Pricing } from "../config/schema.js";

/** Cost of one call: uncached prompt, cached prompt and completion tokens at their per-million prices. */
export function costOf(
  usage: { promptTokens: number; completionTokens: number; cachedTokens: number },
  pricing: Pricing | undefined,
): number {
  if (!pricing) return 0;
  const cachedPrice = pricing.cachedInput ?? pricing.input;
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens);
  return (
    (uncached * pricing.input + usage.cachedTokens * cachedPrice + usage.completionTokens * pricing.output) /
    1e6
  );
}
