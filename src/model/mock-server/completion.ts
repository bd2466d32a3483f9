import { randomBytes } from "node:crypto";
import { pythonJsonDumps } from "../../common/python-json.js";
import {
  estimateTokens,
  type ScriptTurn,
  ScriptTurnSchema,
  scriptArgumentsText,
} from "../scripted/script.js";

/**
 * How the mock server answers tool calls:
 * - `native`: as vLLM with `--tool-call-parser hermes` does when parsing succeeds: `tool_calls` with ids
 *   `chatcmpl-tool-<32 hex>`, arguments as Python-style JSON strings, finish_reason `tool_calls`;
 * - `hermes`: as vLLM does when its parser gives up (or without a parser): the raw model text, with
 *   `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>` blocks in `content`, finish_reason `stop`.
 */
export type ToolCallMode = "native" | "hermes";

export interface CompletionOptions {
  mode: ToolCallMode;
  model: string;
  /** The field reasoning goes in: newer vLLM uses `reasoning`, older `reasoning_content`. */
  reasoningField: "reasoning" | "reasoning_content";
  promptChars: number;
}

export function renderCompletion(input: ScriptTurn, options: CompletionOptions): Record<string, unknown> {
  const turn = ScriptTurnSchema.parse(input);
  const calls = (turn.toolCalls ?? []).map((call) => ({
    id: call.id ?? `chatcmpl-tool-${randomBytes(16).toString("hex")}`,
    name: call.name,
    arguments: scriptArgumentsText(call.arguments),
  }));
  const message: Record<string, unknown> = { role: "assistant" };
  let finishReason = turn.finishReason;
  if (options.mode === "hermes" && calls.length > 0) {
    const blocks = calls.map(
      (call) => `<tool_call>\n${hermesCallText(call.name, call.arguments)}\n</tool_call>`,
    );
    message.content = [turn.content ?? "", ...blocks].filter((part) => part !== "").join("\n");
    finishReason ??= "stop";
  } else {
    message.content = turn.content ?? (calls.length > 0 ? null : "");
    if (calls.length > 0) {
      message.tool_calls = calls.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    finishReason ??= calls.length > 0 ? "tool_calls" : "stop";
  }
  if (turn.reasoning !== undefined) message[options.reasoningField] = turn.reasoning;

  const completionText =
    String(message.content ?? "") + (turn.reasoning ?? "") + calls.map((c) => c.arguments).join("");
  const usage: Record<string, unknown> = {
    prompt_tokens: turn.usage?.promptTokens ?? estimateTokens("x".repeat(options.promptChars)),
    completion_tokens: turn.usage?.completionTokens ?? estimateTokens(completionText),
  };
  usage.total_tokens = (usage.prompt_tokens as number) + (usage.completion_tokens as number);
  if (turn.usage?.cachedTokens !== undefined)
    usage.prompt_tokens_details = { cached_tokens: turn.usage.cachedTokens };

  return {
    id: `chatcmpl-${randomBytes(16).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: options.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

/** The JSON a Qwen-family model writes inside a `<tool_call>` block. Raw argument text is inserted as is. */
function hermesCallText(name: string, argumentsText: string): string {
  return `{"name": ${pythonJsonDumps(name)}, "arguments": ${argumentsText || "{}"}}`;
}
