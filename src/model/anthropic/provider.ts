import Anthropic from "@anthropic-ai/sdk";
import { costOf } from "../cost.js";
import { clientOptionsOf, endpointOf } from "../endpoint.js";
import { AbortedError } from "../errors.js";
import { ProviderCalls, type ProviderOptions } from "../provider-calls.js";
import type { AssistantTurn, Model, ModelDescriptor, ModelRequest, ServedModel } from "../types.js";
import { type AnthropicSettings, buildMessagesRequestBody } from "./request.js";
import { parseMessage } from "./response.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

/** How to reach a Messages API model (name, endpoint, key, timeout, retries, pricing) and shape its requests. */
export interface AnthropicModelOptions extends ProviderOptions {
  settings: AnthropicSettings;
}

/**
 * Claude through the official Anthropic SDK (Messages API), streamed or not: tool use, extended thinking with
 * its blocks sent back as the API requires, prompt caching, usage with cache reads and writes, and the same typed
 * errors and retries as every provider (the SDK's own retries are off).
 */
export class AnthropicModel implements Model {
  private readonly client: Anthropic;
  private readonly calls: ProviderCalls;

  constructor(private readonly options: AnthropicModelOptions) {
    const endpoint = endpointOf(options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL);
    this.calls = new ProviderCalls(options, endpoint, {
      sdk: Anthropic,
      keyHint:
        "Set ANTHROPIC_API_KEY (or SWE_REVIEW_API_KEY), pass --api-key, or set model.apiKey in the config.",
      modelsHint:
        "Check the model id (e.g. claude-sonnet-4-6) against `swe-review doctor`, which lists the models the key can use.",
    });
    this.client = new Anthropic({
      apiKey: options.apiKey ?? null,
      ...clientOptionsOf(endpoint),
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
  }

  describe(): ModelDescriptor {
    return this.calls.describedAs("anthropic", this.options.settings);
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<AssistantTurn> {
    const body = buildMessagesRequestBody(this.options.name, this.options.settings, request);
    const params = body as unknown as Anthropic.MessageCreateParamsNonStreaming;
    const responseTool = request.options?.responseFormat?.name;
    return this.calls.retrying(signal, async () => {
      const raw = await this.calls.once<unknown>(signal, (attempt) => {
        const options = { signal: attempt, timeout: this.options.timeoutMs, maxRetries: 0 };
        return this.options.settings.stream
          ? this.client.messages.stream(params, options).finalMessage()
          : this.client.messages.create(params, options);
      });
      if (signal?.aborted) throw new AbortedError("aborted", "The model request was aborted.");
      const turn = parseMessage(raw, responseTool);
      turn.usage.costUsd = costOf(turn.usage, this.options.pricing);
      this.calls.logger.debug({ model: this.options.name, usage: turn.usage }, "anthropic turn");
      return turn;
    });
  }

  async listModels(signal?: AbortSignal): Promise<ServedModel[]> {
    return this.calls.once(signal, async (attempt) => {
      const models: ServedModel[] = [];
      const options = { signal: attempt, timeout: this.options.timeoutMs };
      for await (const model of this.client.models.list({}, options)) models.push({ id: model.id });
      return models;
    });
  }
}
