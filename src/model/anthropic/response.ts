import { z } from "zod";
import { MalformedResponseError } from "../errors.js";
import type { AssistantTurn, FinishReason, ThinkingBlock, ToolCall } from "../types.js";

/** What we read from a Messages API answer. */
const MessageSchema = z.object({
  content: z.array(
    z.union([
      z.object({ type: z.literal("text"), text: z.string() }),
      z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
      z.object({ type: z.literal("redacted_thinking"), data: z.string() }),
      z.object({
        type: z.literal("tool_use"),
        id: z.string(),
        name: z.string(),
        input: z.record(z.string(), z.unknown()),
      }),
      z.object({ type: z.string() }).loose(),
    ]),
  ),
  stop_reason: z.string().nullish(),
  usage: z.object({
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_creation_input_tokens: z.number().nullish(),
    cache_read_input_tokens: z.number().nullish(),
  }),
});

/**
 * Turns a Messages API answer into an assistant turn. Thinking blocks are kept whole (to be sent back) and their
 * text becomes the turn's reasoning. A call of the structured-output tool (`responseTool`) becomes the content, as
 * JSON text. Prompt tokens count cache reads and writes too, as `promptTokens` does for every provider.
 */
export function parseMessage(raw: unknown, responseTool?: string): AssistantTurn {
  const parsed = MessageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MalformedResponseError(
      "malformed_response",
      `The Messages API answered with something that is not a message (${parsed.error.issues[0]?.message ?? "invalid"} at ${parsed.error.issues[0]?.path.join(".") || "root"}).`,
    );
  }
  const texts: string[] = [];
  const thinkingBlocks: ThinkingBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of parsed.data.content) {
    if (block.type === "text") texts.push((block as { text: string }).text);
    else if (block.type === "thinking" || block.type === "redacted_thinking")
      thinkingBlocks.push(block as ThinkingBlock);
    else if (block.type === "tool_use") {
      const call = block as { id: string; name: string; input: Record<string, unknown> };
      if (call.name === responseTool) texts.push(JSON.stringify(call.input));
      else toolCalls.push({ id: call.id, name: call.name, arguments: JSON.stringify(call.input) });
    }
  }
  const usage = parsed.data.usage;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const turn: AssistantTurn = {
    content: texts.join(""),
    toolCalls,
    finishReason: toFinishReason(parsed.data.stop_reason, toolCalls.length > 0),
    usage: {
      promptTokens: usage.input_tokens + cacheRead + cacheWrite,
      completionTokens: usage.output_tokens,
      cachedTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      costUsd: 0,
    },
  };
  if (toolCalls.length > 0) turn.toolCallSource = "native";
  if (thinkingBlocks.length > 0) {
    turn.thinkingBlocks = thinkingBlocks;
    const reasoning = thinkingBlocks.flatMap((block) => (block.type === "thinking" ? [block.thinking] : []));
    if (reasoning.join("") !== "") turn.reasoning = reasoning.join("\n\n");
  }
  return turn;
}

function toFinishReason(value: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (value) {
    case "tool_use":
      return hasToolCalls ? "tool_calls" : "stop";
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    case null:
    case undefined:
      return hasToolCalls ? "tool_calls" : "stop";
    default:
      return "other";
  }
}
