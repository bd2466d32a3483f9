import { createHmac, randomBytes } from "node:crypto";
import {
  estimateTokens,
  type ScriptTurn,
  ScriptTurnSchema,
  scriptArgumentsText,
} from "../scripted/script.js";
import { halves } from "./text-halves.js";

/** How the mock signs thinking blocks; the server checks the signature when a block comes back. */
export function signThinking(thinking: string): string {
  return createHmac("sha256", "swe-review-mock").update(thinking).digest("base64");
}

type ContentBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicRenderOptions {
  model: string;
  promptTokens: number;
  /** The tool a forced `tool_choice` names: the turn's content (JSON) becomes its input. */
  forcedTool?: string;
}

/** A scripted turn as a Messages API `message` object. */
export function renderMessage(input: ScriptTurn, options: AnthropicRenderOptions): Record<string, unknown> {
  const turn = ScriptTurnSchema.parse(input);
  const content: ContentBlock[] = [];
  if (turn.reasoning !== undefined) {
    content.push({ type: "thinking", thinking: turn.reasoning, signature: signThinking(turn.reasoning) });
  }
  if (options.forcedTool !== undefined) {
    content.push({
      type: "tool_use",
      id: toolUseId(),
      name: options.forcedTool,
      input: JSON.parse(turn.content ?? "{}"),
    });
  } else if (turn.content) {
    content.push({ type: "text", text: turn.content });
  }
  for (const call of turn.toolCalls ?? []) {
    const args = scriptArgumentsText(call.arguments);
    content.push({
      type: "tool_use",
      id: call.id ?? toolUseId(),
      name: call.name,
      input: args ? JSON.parse(args) : {},
    });
  }
  const usage = turn.usage ?? {};
  const cacheRead = usage.cachedTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const completion = JSON.stringify(content);
  const stopReason =
    turn.finishReason === "length"
      ? "max_tokens"
      : content.some((b) => b.type === "tool_use")
        ? "tool_use"
        : "end_turn";
  return {
    id: `msg_${randomBytes(12).toString("hex")}`,
    type: "message",
    role: "assistant",
    model: options.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: (usage.promptTokens ?? options.promptTokens) - cacheRead - cacheWrite,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      output_tokens: usage.completionTokens ?? estimateTokens(completion),
    },
  };
}

/** The same message as the server-sent events of a streamed answer, with text and JSON split into deltas. */
export function renderMessageEvents(message: Record<string, unknown>): string {
  const events: Array<[string, unknown]> = [];
  const usage = message.usage as Record<string, number>;
  events.push([
    "message_start",
    {
      type: "message_start",
      message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
    },
  ]);
  events.push(["ping", { type: "ping" }]);
  (message.content as ContentBlock[]).forEach((block, index) => {
    const delta = (value: Record<string, unknown>) =>
      events.push(["content_block_delta", { type: "content_block_delta", index, delta: value }]);
    if (block.type === "thinking") {
      events.push([
        "content_block_start",
        {
          type: "content_block_start",
          index,
          content_block: { type: "thinking", thinking: "", signature: "" },
        },
      ]);
      for (const part of halves(block.thinking)) delta({ type: "thinking_delta", thinking: part });
      delta({ type: "signature_delta", signature: block.signature });
    } else if (block.type === "text") {
      events.push([
        "content_block_start",
        { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      ]);
      for (const part of halves(block.text)) delta({ type: "text_delta", text: part });
    } else {
      events.push([
        "content_block_start",
        { type: "content_block_start", index, content_block: { ...block, input: {} } },
      ]);
      for (const part of halves(JSON.stringify(block.input)))
        delta({ type: "input_json_delta", partial_json: part });
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
  });
  events.push([
    "message_delta",
    {
      type: "message_delta",
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
  ]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

function toolUseId(): string {
  return `toolu_${randomBytes(12).toString("hex")}`;
}
