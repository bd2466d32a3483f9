import { describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock.js";
import { AuthenticationError, RateLimitError, ServerError, UnreachableError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, withRetry } from "./retry.js";

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/** An attempt that throws `make()` on its first `failures` calls (on every call by default), then answers "ok". */
function failing(make: () => Error, failures = Number.POSITIVE_INFINITY) {
  let calls = 0;
  const attempt = async () => {
    calls++;
    if (calls <= failures) throw make();
    return "ok";
  };
  return { attempt, calls: () => calls };
}

describe("retryDelay", () => {
  it("doubles with jitter in [d/2, d] and caps at maxDelay", () => {
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(50);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelay(policy, 3, undefined, () => 1)).toBe(400);
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(1000);
  });

  it("honours Retry-After, capped", () => {
    expect(retryDelay(policy, 1, 2500)).toBe(2500);
    expect(retryDelay({ ...policy, maxRetryAfterMs: 1000 }, 1, 2500)).toBe(1000);
  });
});

describe("parseRetryAfter", () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name];
  it("reads seconds, HTTP dates and retry-after-ms", () => {
    expect(parseRetryAfter(headers({ "retry-after": "3" }), 0)).toBe(3000);
    expect(parseRetryAfter(headers({ "retry-after-ms": "250" }), 0)).toBe(250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfter(headers({}), 0)).toBeUndefined();
  });
});

describe("withRetry", () => {
  it("retries retryable errors and returns the first success", async () => {
    const clock = new ManualClock();
    const { attempt, calls } = failing(
      () => new ServerError("model_server_error", "boom", { status: 500 }),
      2,
    );
    const result = await withRetry(attempt, { policy, clock, random: () => 1 });
    expect(result).toBe("ok");
    expect(calls()).toBe(3);
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it("does not retry non-retryable errors", async () => {
    const { attempt, calls } = failing(() => new AuthenticationError("model_auth", "no", { status: 401 }));
    await expect(withRetry(attempt, { policy, clock: new ManualClock() })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(calls()).toBe(1);
  });

  it("gives up after maxRetries with the last error", async () => {
    const { attempt, calls } = failing(
      () => new RateLimitError("model_rate_limited", "slow down", { status: 429, retryAfterMs: 10 }),
    );
    await expect(withRetry(attempt, { policy, clock: new ManualClock() })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(calls()).toBe(4);
  });
});

describe("withRetry with the default policy", () => {
  it("waits patiently on overloaded (429) and failing (5xx) servers: five retries, 1 s doubling", async () => {
    for (const make of [
      () => new RateLimitError("model_rate_limited", "slow down", { status: 429 }),
      () => new ServerError("model_server_error", "overloaded", { status: 503 }),
    ]) {
      const clock = new ManualClock();
      const { attempt, calls } = failing(make);
      await expect(
        withRetry(attempt, { policy: DEFAULT_RETRY_POLICY, clock, random: () => 1 }),
      ).rejects.toThrow();
      expect(calls()).toBe(6);
      expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
    }
  });

  it("gives a server nobody answers at two quick retries (0.5 s, 1 s), then ends with its error", async () => {
    const clock = new ManualClock();
    const { attempt, calls } = failing(
      () => new UnreachableError("model_unreachable", "Cannot reach http://127.0.0.1:1/v1: refused."),
    );
    await expect(
      withRetry(attempt, { policy: DEFAULT_RETRY_POLICY, clock, random: () => 1 }),
    ).rejects.toBeInstanceOf(UnreachableError);
    expect(calls()).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("retries an unreachable server no more than maxRetries allows", async () => {
    const clock = new ManualClock();
    const { attempt, calls } = failing(() => new UnreachableError("model_unreachable", "refused"));
    await expect(
      withRetry(attempt, { policy: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }, clock }),
    ).rejects.toBeInstanceOf(UnreachableError);
    expect(calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("survives a restart: a server that comes back within the quick retries answers", async () => {
    const clock = new ManualClock();
    const { attempt } = failing(() => new UnreachableError("model_unreachable", "refused"), 2);
    const result = await withRetry(attempt, { policy: DEFAULT_RETRY_POLICY, clock, random: () => 0 });
    expect(result).toBe("ok");
    expect(clock.sleeps).toEqual([250, 500]);
  });
});
