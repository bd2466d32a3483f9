import type { Clock } from "../common/clock.js";
import { AbortedError, ModelError, UnreachableError } from "./errors.js";

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** Delay before the first retry; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a server's Retry-After we are willing to honour. */
  maxRetryAfterMs: number;
  /**
   * A server nobody answers at (refused, a name that does not resolve) gets this many retries at most (never more
   * than `maxRetries`), from `unreachableBaseDelayMs` doubling: enough to ride out a restart, not to wait on a
   * server that is not there.
   */
  unreachableRetries: number;
  unreachableBaseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
  unreachableRetries: 2,
  unreachableBaseDelayMs: 500,
};

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: ModelError;
}

/**
 * Exponential backoff with jitter: the n-th retry waits a random time in [d/2, d], d = base·2^(n-1) capped at
 * maxDelay; a server's Retry-After (capped at maxRetryAfter) replaces the computed delay. Only errors marked
 * `retryable` are retried; an unreachable server only briefly (`unreachableRetries`); an abort ends at once.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    clock: Clock;
    signal?: AbortSignal;
    random?: () => number;
    onRetry?: (event: RetryEvent) => void;
  },
): Promise<T> {
  const { policy, clock, signal } = options;
  const random = options.random ?? Math.random;
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw new AbortedError("aborted", "The model request was aborted.");
    try {
      return await attempt(n + 1);
    } catch (error) {
      if (!(error instanceof ModelError) || !error.retryable) throw error;
      const unreachable = error instanceof UnreachableError;
      const retries = unreachable
        ? Math.min(policy.maxRetries, policy.unreachableRetries)
        : policy.maxRetries;
      if (n >= retries) throw error;
      const delayMs = unreachable
        ? retryDelay({ ...policy, baseDelayMs: policy.unreachableBaseDelayMs }, n + 1, undefined, random)
        : retryDelay(policy, n + 1, error.retryAfterMs, random);
      options.onRetry?.({ attempt: n + 1, delayMs, error });
      try {
        await clock.sleep(delayMs, signal);
      } catch {
        throw new AbortedError("aborted", "The model request was aborted while waiting to retry.");
      }
    }
  }
}

export function retryDelay(
  policy: RetryPolicy,
  retryNumber: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Parses `Retry-After` (seconds or an HTTP date) and the non-standard `retry-after-ms`. */
export function parseRetryAfter(
  header: (name: string) => string | null | undefined,
  now: number,
): number | undefined {
  const ms = header("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = header("retry-after");
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
