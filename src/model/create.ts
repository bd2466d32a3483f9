import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import { lookupModelInfo } from "../config/model-registry.js";
import type { ConfiguredModel } from "../config/require-model.js";
import { OpenAICompatibleModel } from "./openai/provider.js";
import { DEFAULT_RETRY_POLICY } from "./retry.js";
import type { Model } from "./types.js";

/** The model a resolved configuration describes. */
export function createModel(config: ConfiguredModel, deps: { clock?: Clock; logger?: Logger } = {}): Model {
  const pricing = config.pricing ?? lookupModelInfo(config.name).pricing;
  return new OpenAICompatibleModel({
    name: config.name,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    settings: {
      reasoningRoundTrip: config.reasoningRoundTrip,
      ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
    },
    timeoutMs: config.timeoutSeconds * 1000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries },
    ...(pricing ? { pricing } : {}),
    ...deps,
  });
}
