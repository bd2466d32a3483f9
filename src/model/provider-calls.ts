import { childSignal } from "../common/abort.js";
import { type Clock, systemClock } from "../common/clock.js";
import { type Logger, silentLogger } from "../common/logger.js";
import type { Pricing } from "../config/schema.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from "./retry.js";

/** What every HTTP provider is given besides its own request settings. */
export interface ProviderOptions {
  name: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs: number;
  retry?: RetryPolicy;
  pricing?: Pricing;
  clock?: Clock;
  logger?: Logger;
}

/**
 * How providers call their SDK: each attempt on its own child of the caller's signal (SDKs leave listeners on
 * the signals they get), SDK errors mapped to typed model errors, and retries by our policy with a log line each.
 */
export class ProviderCalls {
  readonly clock: Clock;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly options: ProviderOptions,
    private readonly toModelError: (error: unknown) => unknown,
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
      throw this.toModelError(error);
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
}
