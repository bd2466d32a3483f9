import type { TextCallFormat } from "../text-calls/conversation.js";
import type { ModelRequest } from "../types.js";
import { chatSegments } from "./chat-render.js";
import type { TokenCounter } from "./counter.js";

/**
 * Before any answer: 3 characters a token, on the safe side for code and English with BPE vocabularies of
 * 100–150k tokens (they average about 3.5–4 on source code), so the guard stops early rather than late.
 */
export const INITIAL_CHARS_PER_TOKEN = 3;

/**
 * An estimate for models whose tokenizer is not at hand: the rendered prompt's length over a characters-per-token
 * ratio, recalibrated from each prompt-token count the server reports. After the first answer it tracks the real
 * tokenizer on this conversation's own mix of code, prose and JSON.
 */
export class EstimatingCounter implements TokenCounter {
  readonly method = "estimate" as const;
  private charsPerToken = INITIAL_CHARS_PER_TOKEN;
  private calibrated = false;

  constructor(private readonly format: TextCallFormat = "hermes") {}

  count(request: ModelRequest): number {
    return Math.ceil(this.characters(request) / this.charsPerToken);
  }

  observe(request: ModelRequest, promptTokens: number): void {
    if (promptTokens <= 0) return;
    const ratio = this.characters(request) / promptTokens;
    // Outside this band the server's count is not about this text (e.g. a cached or truncated prompt).
    if (ratio >= 1 && ratio <= 8) {
      this.charsPerToken = ratio;
      this.calibrated = true;
    }
  }

  describe(): string {
    return this.calibrated
      ? `estimate: ${this.charsPerToken.toFixed(2)} characters a token, calibrated on the server's counts`
      : `estimate: ${INITIAL_CHARS_PER_TOKEN} characters a token until the server reports a count`;
  }

  private characters(request: ModelRequest): number {
    return chatSegments(request, this.format).reduce((sum, segment) => sum + segment.length, 0);
  }
}
