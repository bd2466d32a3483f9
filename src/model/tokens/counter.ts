import type { ModelRequest } from "../types.js";

/** Counts the prompt tokens of a request before it is sent. */
export interface TokenCounter {
  /** `tokenizer`: the model's own tokenizer; `estimate`: characters per token, calibrated on the server's counts. */
  readonly method: "tokenizer" | "estimate";
  count(request: ModelRequest): number;
  /** Learns from the prompt tokens the server reported for a request. */
  observe(request: ModelRequest, promptTokens: number): void;
  /** One line for logs and `doctor`. */
  describe(): string;
}
