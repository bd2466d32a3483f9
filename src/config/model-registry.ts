import type { Pricing } from "./schema.js";

/**
 * What we know about a model by name: list prices (US dollars per million tokens, as published by the vendor;
 * override with `model.pricing` in the config) and context length. Self-hosted models cost nothing per token.
 */
export interface ModelInfo {
  pricing?: Pricing;
  contextLength?: number;
}

const FREE: Pricing = { input: 0, cachedInput: 0, output: 0 };

/** Matched against the model name, lower-cased, first match wins: put specific patterns before general ones. */
const MODEL_TABLE: ReadonlyArray<readonly [RegExp, ModelInfo]> = [
  [/swe-review-(30b-a3b|8b|mixed)/, { pricing: FREE, contextLength: 131_072 }],
  [/^gpt-4\.1-mini/, { pricing: { input: 0.4, cachedInput: 0.1, output: 1.6 }, contextLength: 1_047_576 }],
  [/^gpt-4\.1/, { pricing: { input: 2, cachedInput: 0.5, output: 8 }, contextLength: 1_047_576 }],
  [/^gpt-4o-mini/, { pricing: { input: 0.15, cachedInput: 0.075, output: 0.6 }, contextLength: 128_000 }],
  [/^gpt-4o/, { pricing: { input: 2.5, cachedInput: 1.25, output: 10 }, contextLength: 128_000 }],
  [/claude-opus-4/, { pricing: { input: 15, cachedInput: 1.5, output: 75 }, contextLength: 200_000 }],
  [/claude-sonnet-4/, { pricing: { input: 3, cachedInput: 0.3, output: 15 }, contextLength: 200_000 }],
  [/claude-haiku-4/, { pricing: { input: 1, cachedInput: 0.1, output: 5 }, contextLength: 200_000 }],
  [/qwen3-coder/, { pricing: FREE, contextLength: 262_144 }],
  [/qwen3/, { pricing: FREE, contextLength: 40_960 }],
];

export function lookupModelInfo(name: string | undefined): ModelInfo {
  if (!name) return {};
  const key = name.toLowerCase().replace(/^.*\//, "");
  for (const [pattern, info] of MODEL_TABLE) if (pattern.test(key)) return info;
  return {};
}
