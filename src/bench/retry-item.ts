import { type Clock, systemClock } from "../common/clock.js";
import { errorMessage, SweReviewError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";

/** Model errors that mean the server was unreachable or overloaded: the item is retried, not scored. */
export const TRANSIENT_MODEL_ERRORS = new Set([
  "model_unreachable",
  "model_connection_failed",
  "model_connection_reset",
  "model_timeout",
  "model_server_error",
  "model_rate_limited",
  "malformed_response",
]);

export type Attempt<T> =
  | { kind: "done"; value: T }
  /** An infrastructure problem: try again later (a thrown error, or a result marked so). */
  | { kind: "retry"; error: { code: string; message: string }; value?: T };

export type ItemOutcome<T> =
  | { kind: "done"; value: T; attempts: number }
  | { kind: "failed"; error: { code: string; message: string }; attempts: number }
  | { kind: "aborted" };

/**
 * Runs one item's work, retrying infrastructure failures (thrown errors, or attempts that say so) with a growing
 * pause, up to `attempts` times. An abort ends it at once with nothing to record.
 */
export async function withItemRetries<T>(
  work: (attempt: number) => Promise<Attempt<T>>,
  options: {
    attempts: number;
    signal?: AbortSignal;
    clock?: Clock;
    logger?: Logger;
    label: string;
    pauseMs?: number;
  },
): Promise<ItemOutcome<T>> {
  const clock = options.clock ?? systemClock;
  let last: { code: string; message: string } = { code: "unknown", message: "no attempt was made" };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (options.signal?.aborted) return { kind: "aborted" };
    try {
      const result = await work(attempt);
      if (options.signal?.aborted) return { kind: "aborted" };
      if (result.kind === "done") return { kind: "done", value: result.value, attempts: attempt };
      last = result.error;
    } catch (error) {
      if (options.signal?.aborted) return { kind: "aborted" };
      last = {
        code: error instanceof SweReviewError ? error.code : "internal",
        message: errorMessage(error),
      };
    }
    options.logger?.warn({ item: options.label, attempt, error: last }, "infrastructure failure; retrying");
    if (attempt < options.attempts) {
      try {
        await clock.sleep((options.pauseMs ?? 2_000) * attempt, options.signal);
      } catch {
        return { kind: "aborted" };
      }
    }
  }
  return { kind: "failed", error: last, attempts: options.attempts };
}
