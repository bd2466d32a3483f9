import OpenAI from "openai";
import { costOf } from "../cost.js";
import { clientOptionsOf, endpointOf } from "../endpoint.js";
import { ProviderCalls, type ProviderOptions } from "../provider-calls.js";
import type { AssistantTurn, Model, ModelDescriptor, ModelRequest, ServedModel } from "../types.js";
import { errorNormalizingFetch } from "./error-body.js";
import { buildChatRequestBody, type OpenAISettings } from "./request.js";
import { parseCompletion } from "./response.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * How to reach an OpenAI-compatible model (name, endpoint, key, timeout, retries, pricing) and shape its requests.
 * Without an API key the client sends `EMPTY`, as local servers expect.
 */
export interface OpenAICompatibleModelOptions extends ProviderOptions {
  settings: OpenAISettings;
}

/**
 * Chat completions on any OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama, OpenAI) through the
 * official SDK. The SDK's own retries are off: ours follow `RetryPolicy` and surface typed errors.
 */
export class OpenAICompatibleModel implements Model {
  private readonly client: OpenAI;
  private readonly calls: ProviderCalls;

  constructor(private readonly options: OpenAICompatibleModelOptions) {
    const endpoint = endpointOf(options.baseUrl ?? OPENAI_DEFAULT_BASE_URL);
    const base = endpoint.shown.replace(/\/$/, "");
    this.calls = new ProviderCalls(options, endpoint, {
      sdk: OpenAI,
      keyHint:
        "Set SWE_REVIEW_API_KEY (or OPENAI_API_KEY), pass --api-key, or set model.apiKey in the config.",
      modelsHint: `List the served models with \`curl ${base}/models\` (or \`swe-review doctor\`); the name must match (vLLM: --served-model-name) and the base URL usually ends in /v1.`,
    });
    this.client = new OpenAI({
      // Local servers usually need no key; the SDK requires a value, and vLLM's convention is "EMPTY".
      apiKey: options.apiKey || "EMPTY",
      ...clientOptionsOf(endpoint),
      maxRetries: 0,
      timeout: options.timeoutMs,
      fetch: errorNormalizingFetch(),
    });
  }

  /** The models the server lists, with vLLM's `max_model_len` (or llama.cpp's `meta.n_ctx_train`) when given. */
  async listModels(signal?: AbortSignal): Promise<ServedModel[]> {
    const page = await this.calls.once(signal, (attempt) =>
      this.client.models.list({ signal: attempt, timeout: this.options.timeoutMs }),
    );
    return page.data.map((entry) => {
      const raw = entry as unknown as {
        id: string;
        max_model_len?: unknown;
        meta?: { n_ctx_train?: unknown };
      };
      const context = raw.max_model_len ?? raw.meta?.n_ctx_train;
      return typeof context === "number" ? { id: raw.id, contextLength: context } : { id: raw.id };
    });
  }

  describe(): ModelDescriptor {
    return this.calls.describedAs("openai", this.options.settings);
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<AssistantTurn> {
    const body = buildChatRequestBody(this.options.name, this.options.settings, request);
    const params = body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    return this.calls.retrying(signal, async () => {
      // Parsed inside the call, so an answer that is not a completion (quoted in the error) is scrubbed too.
      const { notes, ...turn } = await this.calls.once(signal, async (attempt) =>
        parseCompletion(
          await this.client.chat.completions.create(params, {
            signal: attempt,
            timeout: this.options.timeoutMs,
            maxRetries: 0,
          }),
          {
            tools: request.tools,
            ...(this.options.settings.toolCalls ? { toolCalls: this.options.settings.toolCalls } : {}),
          },
        ),
      );
      if (notes.textCalls > 0 && this.options.settings.toolCalls !== "text") {
        this.calls.logger.warn(
          { model: this.options.name, calls: notes.textCalls },
          "the server returned tool calls as text in content (its tool parser is off or gave up); read them from the text",
        );
      }
      if (notes.repaired > 0 || notes.problems.length > 0) {
        this.calls.logger.warn(
          { model: this.options.name, repaired: notes.repaired, problems: notes.problems },
          "repaired or skipped malformed tool calls in the model's text",
        );
      }
      turn.usage.costUsd = costOf(turn.usage, this.options.pricing);
      return turn;
    });
  }
}
