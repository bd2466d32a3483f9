import type { TokenCounter } from "../model/tokens/counter.js";
import type { ModelRequest } from "../model/types.js";

/** How a `ContextGuard` measures requests against the model's context window (all sizes in tokens). */
export interface ContextGuardOptions {
  /** The model's context window in tokens. */
  contextLength: number;
  /** Tokens kept free for the answer (the request's max_tokens). */
  reserveTokens: number;
  /** Counts a request's prompt tokens; it learns from the prompt tokens the server reports (`observe`). */
  counter: TokenCounter;
  /**
   * The least growth expected from one step to the next (the largest growth seen so far is used when larger).
   * Default: a twentieth of the context, at most 4,096 tokens.
   */
  headroomTokens?: number;
}

/**
 * Whether a request fits the context: `fits`; `grace` (it fits but the next probably would not, so it should be the
 * grace turn); `too_long` (over context − reserve: the server would refuse it, so it is not sent).
 */
export type ContextVerdict = "fits" | "grace" | "too_long";

/**
 * Counts each request before it is sent and says whether it fits: `too_long` above the hard limit (context −
 * reserve), where the server would refuse it; `grace` when this request fits but the next one probably would not
 * (its size plus the largest step-to-step growth seen, or the headroom, passes the hard limit), so this one should
 * be the grace turn; `fits` otherwise. Learns from the server's reported prompt tokens.
 */
export class ContextGuard {
  readonly hardLimit: number;
  private readonly headroom: number;
  private largestGrowth = 0;
  private previous: number | undefined;

  constructor(private readonly options: ContextGuardOptions) {
    this.hardLimit = options.contextLength - options.reserveTokens;
    this.headroom = options.headroomTokens ?? Math.min(4096, Math.floor(options.contextLength / 20));
  }

  get contextLength(): number {
    return this.options.contextLength;
  }

  /** `commit: false` checks without taking the request as the next step (e.g. re-checking with a notice added). */
  check(request: ModelRequest, commit = true): { tokens: number; verdict: ContextVerdict } {
    const tokens = this.options.counter.count(request);
    if (commit) {
      if (this.previous !== undefined)
        this.largestGrowth = Math.max(this.largestGrowth, tokens - this.previous);
      this.previous = tokens;
    }
    const growth = Math.max(this.headroom, this.largestGrowth);
    const verdict =
      tokens > this.hardLimit ? "too_long" : tokens + growth > this.hardLimit ? "grace" : "fits";
    return { tokens, verdict };
  }

  observe(request: ModelRequest, promptTokens: number): void {
    this.options.counter.observe(request, promptTokens);
  }
}
