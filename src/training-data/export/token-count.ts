import { InputError } from "../../common/errors.js";
import { findCachedTokenizer } from "../../model/tokens/find-tokenizer.js";
import { HfTokenizerCounter } from "../../model/tokens/hf-tokenizer.js";

/** Counts the tokens of a piece of text with a base model's own tokenizer. */
export interface TextTokenizer {
  count(text: string): number;
  describe(): string;
}

/**
 * The base model's tokenizer: the `tokenizer.json` given, else the one in the local Hugging Face cache for the
 * base model. Undefined when neither exists (token lengths are then not measured, and no cutoff is applied).
 */
export function findTextTokenizer(
  options: { tokenizer?: string; baseModel: string },
  env: NodeJS.ProcessEnv = process.env,
): TextTokenizer | undefined {
  const file = options.tokenizer ?? findCachedTokenizer(options.baseModel, env);
  if (!file) return undefined;
  const counter = HfTokenizerCounter.fromFile(file);
  return { count: (text) => counter.countText(text), describe: () => counter.describe() };
}

export function requireTokenizer(tokenizer: TextTokenizer | undefined, baseModel: string): TextTokenizer {
  if (tokenizer) return tokenizer;
  throw new InputError(
    "tokenizer_missing",
    `Counting tokens needs ${baseModel}'s tokenizer.json: pass --tokenizer <tokenizer.json>, or download the model's tokenizer into the Hugging Face cache (huggingface-cli download ${baseModel} tokenizer.json tokenizer_config.json).`,
  );
}
