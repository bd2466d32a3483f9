import type { Clock } from "../common/clock.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { ConfiguredModel } from "../config/require-model.js";
import { type ResolvedModel, resolveModel } from "../config/resolve-model.js";
import { AnthropicModel } from "./anthropic/provider.js";
import { OpenAICompatibleModel } from "./openai/provider.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";
import type { Model } from "./types.js";

/** Anthropic requires max_tokens; this is used when the configuration sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;

/** The model a resolved configuration describes (its preset filling what the configuration leaves out). */
export function createModel(config: ConfiguredModel, deps: { clock?: Clock; logger?: Logger } = {}): Model {
  return createResolvedModel(resolveModel(config), deps);
}

export function createResolvedModel(
  model: ResolvedModel,
  deps: { clock?: Clock; logger?: Logger } = {},
): Model {
  const common = {
    name: model.name,
    baseUrl: model.baseUrl,
    ...(model.apiKey ? { apiKey: model.apiKey } : {}),
    timeoutMs: model.timeoutSeconds * 1000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: model.maxRetries },
    ...(model.pricing ? { pricing: model.pricing } : {}),
    ...deps,
  };
  if (model.provider === "anthropic") {
    if (!model.apiKey) {
      throw new InputError(
        "api_key_missing",
        `Model '${model.name}' uses the Anthropic API, which needs a key: set ANTHROPIC_API_KEY (or SWE_REVIEW_API_KEY) or pass --api-key.`,
      );
    }
    return new AnthropicModel({
      ...common,
      settings: {
        maxTokens: model.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        promptCaching: model.promptCaching,
        stream: model.stream,
        ...(model.temperature === undefined ? {} : { temperature: model.temperature }),
        ...(model.thinkingBudget === undefined ? {} : { thinkingBudget: model.thinkingBudget }),
      },
    });
  }
  return new OpenAICompatibleModel({
    ...common,
    settings: {
      reasoningRoundTrip: model.reasoningRoundTrip,
      ...(model.toolCalls === "text" ? { toolCalls: "text" as const } : {}),
      ...(model.toolCallFormat === "hermes" ? {} : { toolCallFormat: model.toolCallFormat }),
      ...(model.temperature === undefined ? {} : { temperature: model.temperature }),
      ...(model.maxTokens === undefined ? {} : { maxTokens: model.maxTokens }),
    },
  });
}
