import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { errorMessage, InputError } from "../../common/errors.js";
import type { TextCallFormat } from "../text-calls/conversation.js";
import type { ModelRequest } from "../types.js";
import { chatSegments } from "./chat-render.js";
import type { TokenCounter } from "./counter.js";

const CACHE_LIMIT = 4096;

/**
 * Exact counts with a model's own `tokenizer.json` (offline, pure JavaScript). Each message's segment is counted
 * once and cached, so a growing conversation costs one tokenization per new message. A constant difference to
 * the server's count (e.g. a system prompt its template adds) is learned from the reported usage.
 */
export class HfTokenizerCounter implements TokenCounter {
  readonly method = "tokenizer" as const;
  private readonly cache = new Map<string, number>();
  private offset = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly source: string,
    private readonly format: TextCallFormat = "hermes",
  ) {}

  /** Loads `tokenizer.json` (and `tokenizer_config.json` beside it, when present). */
  static fromFile(path: string, format: TextCallFormat = "hermes"): HfTokenizerCounter {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new InputError(
        "tokenizer_unreadable",
        `Cannot read the tokenizer ${path} (model.tokenizer): ${errorMessage(error)}. Point model.tokenizer at a Hugging Face tokenizer.json, or remove it to estimate token counts.`,
      );
    }
    let config: unknown = {};
    try {
      config = JSON.parse(readFileSync(join(dirname(path), "tokenizer_config.json"), "utf8"));
    } catch {
      // optional
    }
    try {
      return new HfTokenizerCounter(new Tokenizer(json as object, config as object), path, format);
    } catch (error) {
      throw new InputError(
        "tokenizer_invalid",
        `${path} is not a tokenizer this library can load (${errorMessage(error)}). Use the model's tokenizer.json from Hugging Face.`,
      );
    }
  }

  countText(text: string): number {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids.length;
  }

  count(request: ModelRequest): number {
    let total = this.offset;
    for (const segment of chatSegments(request, this.format)) {
      let tokens = this.cache.get(segment);
      if (tokens === undefined) {
        tokens = this.countText(segment);
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(segment, tokens);
      }
      total += tokens;
    }
    return total;
  }

  observe(request: ModelRequest, promptTokens: number): void {
    if (promptTokens <= 0) return;
    this.offset = 0;
    this.offset = Math.max(0, promptTokens - this.count(request));
  }

  describe(): string {
    return `tokenizer: ${this.source}`;
  }
}
