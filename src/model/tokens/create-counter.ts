import type { ResolvedModel } from "../../config/resolve-model.js";
import type { TokenCounter } from "./counter.js";
import { EstimatingCounter } from "./estimate.js";
import { findCachedTokenizer } from "./find-tokenizer.js";
import { HfTokenizerCounter } from "./hf-tokenizer.js";

/**
 * The best counter for a model: its own tokenizer when a `tokenizer.json` is configured (model.tokenizer) or in
 * the Hugging Face cache for the preset's repository (Qwen-family models), else the calibrated estimate.
 * A configured tokenizer that cannot be read is an error; a missing cache entry is not.
 */
export function createTokenCounter(model: ResolvedModel, env: NodeJS.ProcessEnv = process.env): TokenCounter {
  const format = model.toolCallFormat;
  if (model.tokenizer && "path" in model.tokenizer)
    return HfTokenizerCounter.fromFile(model.tokenizer.path, format);
  const cached = model.tokenizer ? findCachedTokenizer(model.tokenizer.repo, env) : undefined;
  if (cached) return HfTokenizerCounter.fromFile(cached, format);
  return new EstimatingCounter(format);
}

/** What the agent's context guard needs for a model, or undefined when its context length is unknown. */
export function contextBudgetFor(
  model: ResolvedModel,
  env: NodeJS.ProcessEnv = process.env,
): { contextLength: number; reserveTokens: number; counter: TokenCounter } | undefined {
  if (model.contextLength === undefined) return undefined;
  return {
    contextLength: model.contextLength,
    // vLLM refuses a prompt when prompt + max_tokens exceeds the context; without max_tokens keep room to answer.
    reserveTokens: model.maxTokens ?? Math.min(8192, Math.floor(model.contextLength / 8)),
    counter: createTokenCounter(model, env),
  };
}
