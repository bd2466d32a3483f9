import Anthropic from "@anthropic-ai/sdk";
import { childSignal } from "../../common/abort.js";
import { type Clock, systemClock } from "../../common/clock.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import type { Pricing } from "../../config/schema.js";
import { costOf } from "../cost.js";
import { AbortedError } from "../errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "../retry.js";
import { toModelError } from "../sdk-errors.js";
import type { AssistantTurn, Model, ModelDescriptor, ModelRequest, ServedModel } from "../types.js";
import { type AnthropicSettings, buildMessagesRequestBody } from "./request.js";
import { parseMessage } from "./response.js";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

export interface AnthropicModelOptions {
  name: string;
  baseUrl?: string;
  apiKey?: string;
  settings: AnthropicSettings;
  timeoutMs: number;
  retry?: RetryPolicy;
  pricing?: Pricing;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Claude through the official Anthropic SDK (Messages API), streamed or not: tool use, extended thinking with
 * its blocks sent back as the API requires, prompt caching, usage with cache reads and writes, and the same typed
 * errors and retries as every provider (the SDK's own retries are off).
 */
export class AnthropicModel implements Model {
  private readonly client: Anthropic;
  private readonly baseUrl: string;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: AnthropicModelOptions) {
    this.baseUrl = options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.client = new Anthropic({
      apiKey: options.apiKey ?? null,
      baseURL: this.baseUrl,
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
  }

  describe(): ModelDescriptor {
    return {
      provider: "anthropic",
      name: this.options.name,
      baseUrl: this.baseUrl,
      settings: { ...this.options.settings },
    };
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<AssistantTurn> {
    const body = buildMessagesRequestBody(this.options.name, this.options.settings, request);
    const responseTool = request.options?.responseFormat?.name;
    return withRetry(
      async () => {
        const attempt = childSignal(signal);
        let raw: unknown;
        try {
          const params = body as unknown as Anthropic.MessageCreateParamsNonStreaming;
          const requestOptions = { signal: attempt.signal, timeout: this.options.timeoutMs, maxRetries: 0 };
          raw = this.options.settings.stream
            ? await this.client.messages.stream(params, requestOptions).finalMessage()
            : await this.client.messages.create(params, requestOptions);
        } catch (error) {
          throw this.modelError(error);
        } finally {
          attempt.dispose();
        }
        if (signal?.aborted) throw new AbortedError("aborted", "The model request was aborted.");
        const turn = parseMessage(raw, responseTool);
        turn.usage.costUsd = costOf(turn.usage, this.options.pricing);
        return turn;
      },
      {
        policy: this.retry,
        clock: this.clock,
        ...(signal ? { signal } : {}),
        onRetry: ({ attempt, delayMs, error }) =>
          this.logger.warn(
            { model: this.options.name, attempt, delayMs, code: error.code, status: error.status },
            `model request failed, retrying in ${delayMs} ms: ${error.message}`,
          ),
      },
    );
  }

  async listModels(signal?: AbortSignal): Promise<ServedModel[]> {
    const attempt = childSignal(signal);
    try {
      const models: ServedModel[] = [];
      for await (const model of this.client.models.list(
        {},
        { signal: attempt.signal, timeout: this.options.timeoutMs },
      )) {
        models.push({ id: model.id });
      }
      return models;
    } catch (error) {
      throw this.modelError(error);
    } finally {
      attempt.dispose();
    }
  }

  private modelError(error: unknown): unknown {
    return toModelError(
      error,
      {
        model: this.options.name,
        baseUrl: this.baseUrl,
        timeoutMs: this.options.timeoutMs,
        now: this.clock.now(),
        keyHint:
          "Set ANTHROPIC_API_KEY (or SWE_REVIEW_API_KEY), pass --api-key, or set model.apiKey in the config.",
        modelsHint:
          "Check the model id (e.g. claude-sonnet-4-5) against `swe-review doctor`, which lists the models the key can use.",
      },
      Anthropic,
    );
  }
}
