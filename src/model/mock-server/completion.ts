import { randomBytes } from "node:crypto";
import { pythonJsonDumps } from "../../common/python-json.js";
import {
  estimateTokens,
  type ScriptTurn,
  ScriptTurnSchema,
  scriptArgumentsText,
} from "../scripted/script.js";
import { renderHermesAssistant } from "../text-calls/hermes.js";

/**
 * How the mock server answers tool calls, as vLLM does:
 * - `native`: started with `--enable-auto-tool-choice --tool-call-parser hermes`. When the request carries tools
 *   (and `tool_choice` is not `none`), the model's text is run through a port of vLLM's hermes extraction: ids
 *   `chatcmpl-tool-<32 hex>`, arguments re-serialised Python-style, content = the text before the first block,
 *   finish_reason `tool_calls`. If any block fails (invalid JSON, no `name` or `arguments`), every call comes back
 *   as raw text in `content` with finish_reason `stop` (all or nothing).
 * - `hermes`: no tool parser: the raw model text, `<tool_call>` blocks and all, in `content`.
 */
export type ToolCallMode = "native" | "hermes";

export interface CompletionOptions {
  /** Parse tool calls out of the text (native mode, request with tools and tool_choice other than none). */
  parseToolCalls: boolean;
  model: string;
  /** The field reasoning goes in: newer vLLM uses `reasoning`, older `reasoning_content`. */
  reasoningField: "reasoning" | "reasoning_content";
  /** Without a reasoning parser, reasoning stays in the content as `<think>…</think>`. */
  reasoningParser: boolean;
  promptTokens: number;
}

export function renderCompletion(input: ScriptTurn, options: CompletionOptions): Record<string, unknown> {
  const turn = ScriptTurnSchema.parse(input);
  const scripted = (turn.toolCalls ?? []).map((call) => ({
    id: call.id,
    name: call.name,
    arguments: scriptArgumentsText(call.arguments),
  }));
  let text = renderHermesAssistant(turn.content ?? "", scripted);
  let reasoning = turn.reasoning;
  if (!options.reasoningParser && reasoning !== undefined) {
    text = `<think>\n${reasoning}\n</think>\n\n${text}`;
    reasoning = undefined;
  }
  const message: Record<string, unknown> = { role: "assistant", content: text };
  let finishReason = turn.finishReason ?? "stop";
  const extracted = options.parseToolCalls ? extractHermesToolCalls(text) : undefined;
  if (extracted) {
    message.content = extracted.content;
    message.tool_calls = extracted.calls.map((call, index) => ({
      id: scripted[index]?.id ?? `chatcmpl-tool-${randomBytes(16).toString("hex")}`,
      type: "function",
      function: call,
    }));
    finishReason = "tool_calls";
  }
  if (reasoning !== undefined) message[options.reasoningField] = reasoning;

  const usage: Record<string, unknown> = {
    prompt_tokens: turn.usage?.promptTokens ?? options.promptTokens,
    completion_tokens: turn.usage?.completionTokens ?? estimateTokens(text + (reasoning ?? "")),
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

/**
 * vLLM's hermes `extract_tool_calls` (non-streaming): every `<tool_call>` block must be JSON with `name` and
 * `arguments`, or nothing is extracted. Content is the text before the first block, or null when empty.
 */
export function extractHermesToolCalls(
  text: string,
): { content: string | null; calls: { name: string; arguments: string }[] } | undefined {
  if (!text.includes("<tool_call>")) return undefined;
  const calls: { name: string; arguments: string }[] = [];
  for (const match of text.matchAll(/<tool_call>([\s\S]*?)<\/tool_call>|<tool_call>([\s\S]*)/g)) {
    let call: unknown;
    try {
      call = JSON.parse(match[1] ?? match[2] ?? "");
    } catch {
      return undefined;
    }
    if (call === null || typeof call !== "object" || !("name" in call) || !("arguments" in call))
      return undefined;
    const { name, arguments: args } = call as { name: unknown; arguments: unknown };
    calls.push({ name: String(name), arguments: pythonJsonDumps(args) });
  }
  const content = text.slice(0, text.indexOf("<tool_call>"));
  return { content: content === "" ? null : content, calls };
}
