import type { Pricing } from "../config/schema.js";

/**
 * Cost of one call: uncached prompt, cache-read and cache-written prompt tokens and completion tokens at their
 * per-million prices.
 */
export function costOf(
  usage: {
    promptTokens: number;
    completionTokens: number;
    cachedTokens: number;
    cacheWriteTokens?: number | undefined;
  },
  pricing: Pricing | undefined,
): number {
  if (!pricing) return 0;
  const written = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens - written);
  return (
    (uncached * pricing.input +
      usage.cachedTokens * (pricing.cachedInput ?? pricing.input) +
      written * (pricing.cacheWrite ?? pricing.input) +
      usage.completionTokens * pricing.output) /
    1e6
  );
}
