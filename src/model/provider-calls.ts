import { childSignal } from "../common/abort.js";
import { type Clock, systemClock } from "../common/clock.js";
import { type Logger, silentLogger } from "../common/logger.js";
import type { Pricing } from "../config/schema.js";
import type { Endpoint } from "./endpoint.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "./retry.js";
import { type ErrorContext, type SdkErrorClasses, toModelError } from "./sdk-errors.js";
import type { ModelDescriptor } from "./types.js";

/** What every HTTP provider is given besides its own request settings. */
export interface ProviderOptions {
  /** The model's name as the server knows it. */
  name: string;
  /** Default: the provider's public API. */
  baseUrl?: string;
  /** Kept out of trajectory headers and redacted from error messages. */
  apiKey?: string;
  /** Time limit of one HTTP request, in milliseconds. */
  timeoutMs: number;
  /** When failed requests are retried; default `DEFAULT_RETRY_POLICY` (5 retries, backing off up to 60 s). */
  retry?: RetryPolicy;
  /** Prices for `Usage.costUsd`; absent: cost 0. */
  pricing?: Pricing;
  clock?: Clock;
  logger?: Logger;
}

/** How one provider's SDK errors become model errors: the SDK's error classes, and what to tell the user. */
export interface ProviderErrorHelp extends Pick<ErrorContext, "keyHint" | "modelsHint"> {
  sdk: SdkErrorClasses;
}

/**
 * How providers call their SDK: each attempt on its own child of the caller's signal (SDKs leave listeners on
 * the signals they get), SDK errors mapped to typed model errors, and retries by our policy with a log line each.
 */
export class ProviderCalls {
  private readonly clock: Clock;
  readonly logger: Logger;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly options: ProviderOptions,
    private readonly endpoint: Endpoint,
    private readonly errorHelp: ProviderErrorHelp,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** One SDK call; what it throws comes out as a typed model error. */
  async once<T>(signal: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const attempt = childSignal(signal);
    try {
      return await call(attempt.signal);
    } catch (error) {
      throw this.modelError(error);
    } finally {
      attempt.dispose();
    }
  }

  /** `attempt` until it succeeds, fails for good, or the retries run out. */
  retrying<T>(signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    return withRetry(attempt, {
      policy: this.retry,
      clock: this.clock,
      ...(signal ? { signal } : {}),
      onRetry: ({ attempt: number, delayMs, error }) =>
        this.logger.warn(
          { model: this.options.name, attempt: number, delayMs, code: error.code, status: error.status },
          `model request failed, retrying in ${delayMs} ms: ${error.message}`,
        ),
    });
  }

  /** How the provider describes itself in records: its kind, model name, base URL as shown, and settings. */
  describedAs(provider: string, settings: object): ModelDescriptor {
    return { provider, name: this.options.name, baseUrl: this.endpoint.shown, settings: { ...settings } };
  }

  private modelError(error: unknown): unknown {
    const { sdk, ...hints } = this.errorHelp;
    const context: ErrorContext = {
      model: this.options.name,
      baseUrl: this.endpoint.shown,
      secrets: [this.options.apiKey, ...this.endpoint.secrets],
      timeoutMs: this.options.timeoutMs,
      now: this.clock.now(),
      ...hints,
    };
    return toModelError(error, context, sdk);
  }
}
