import { findPreset } from "./presets.js";
import type { Pricing } from "./schema.js";

/** What we know about a model by name: list prices and context length (from its preset). */
export interface ModelInfo {
  pricing?: Pricing;
  contextLength?: number;
}

export function lookupModelInfo(name: string | undefined): ModelInfo {
  const preset = findPreset(name);
  if (!preset) return {};
  return preset.pricing
    ? { pricing: preset.pricing, contextLength: preset.contextLength }
    : { contextLength: preset.contextLength };
}
