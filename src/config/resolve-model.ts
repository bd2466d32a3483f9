import { InputError } from "../common/errors.js";
import { findPreset, PRESETS, type Preset } from "./presets.js";
import type { ConfiguredModel } from "./require-model.js";
import type { Pricing } from "./schema.js";

/** A configured model with every setting decided: the configuration's values over its preset's. */
export interface ResolvedModel {
  name: string;
  provider: "openai" | "anthropic";
  preset?: Preset;
  baseUrl: string;
  apiKey?: string;
  toolCalls: "native" | "text";
  toolCallFormat: "hermes" | "qwen3_coder";
  reasoningRoundTrip: boolean;
  /** Undefined when neither the configuration nor a preset says (the context guard then stays off). */
  contextLength?: number;
  /** A tokenizer.json path (configured), or the Hugging Face repository to look for in the cache (preset). */
  tokenizer?: { path: string } | { repo: string };
  pricing?: Pricing;
  temperature?: number;
  maxTokens?: number;
  timeoutSeconds: number;
  maxRetries: number;
  stream: boolean;
  thinkingBudget?: number;
  promptCaching: boolean;
}

const FALLBACK_BASE_URL = { openai: "https://api.openai.com/v1", anthropic: "https://api.anthropic.com" };

/**
 * Decides every model setting: what the configuration says, else what the model's preset says, else a default.
 * Pure (the environment's variables were read into the configuration already).
 */
export function resolveModel(config: ConfiguredModel): ResolvedModel {
  const preset = findPreset(config.name, config.preset);
  if (config.preset !== undefined && !preset) {
    throw new InputError(
      "preset_unknown",
      `Unknown model preset '${config.preset}' (model.preset). Known presets: ${PRESETS.map((p) => p.id).join(", ")}. Run \`swe-review models\` to see them.`,
    );
  }
  const provider = config.provider ?? preset?.provider ?? "openai";
  const samePreset = preset && preset.provider === provider ? preset : undefined;
  const resolved: ResolvedModel = {
    name: config.name,
    provider,
    baseUrl: config.baseUrl ?? samePreset?.defaultBaseUrl ?? FALLBACK_BASE_URL[provider],
    toolCalls: config.toolCalls ?? samePreset?.toolCalls ?? "native",
    toolCallFormat: config.toolCallFormat ?? samePreset?.toolCallFormat ?? "hermes",
    reasoningRoundTrip: config.reasoningRoundTrip ?? samePreset?.reasoningRoundTrip ?? true,
    timeoutSeconds: config.timeoutSeconds,
    maxRetries: config.maxRetries,
    stream: config.stream ?? false,
    promptCaching: config.promptCaching ?? true,
  };
  if (samePreset) resolved.preset = samePreset;
  if (config.apiKey) resolved.apiKey = config.apiKey;
  const contextLength = config.contextLength ?? samePreset?.contextLength;
  if (contextLength !== undefined) resolved.contextLength = contextLength;
  if (config.tokenizer) resolved.tokenizer = { path: config.tokenizer };
  else if (samePreset?.tokenizer) resolved.tokenizer = { repo: samePreset.tokenizer };
  const pricing = config.pricing ?? samePreset?.pricing;
  if (pricing) resolved.pricing = pricing;
  if (config.temperature !== undefined) resolved.temperature = config.temperature;
  if (config.maxTokens !== undefined) resolved.maxTokens = config.maxTokens;
  if (config.thinkingBudget !== undefined) resolved.thinkingBudget = config.thinkingBudget;
  return resolved;
}
