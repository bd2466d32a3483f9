import { randomUUID } from "node:crypto";
import { z } from "zod";
import { MalformedResponseError } from "../errors.js";
import { readTextTurn } from "../text-calls/read-turn.js";
import type { AssistantTurn, FinishReason, ToolCall, ToolSpec } from "../types.js";

/** What we read from a chat completion. Lenient where servers differ, strict where we need a value. */
const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          /** Newer vLLM. */
          reasoning: z.string().nullish(),
          /** Older vLLM, DeepSeek, SGLang. */
          reasoning_content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string().nullish(),
                function: z.object({
                  name: z.string(),
                  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
                }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

export interface ParseOptions {
  /** `text`: calls are always read from the content (the server parses none). */
  toolCalls?: "native" | "text";
  /** The request's tools (to type `qwen3_coder` values). */
  tools?: readonly ToolSpec[];
}

/** What the text reading had to fix, for a warning in the log. */
export interface ParseNotes {
  textCalls: number;
  repaired: number;
  problems: string[];
}

/**
 * Turns a chat-completion object into an assistant turn (cost is added by the caller, who knows the prices).
 * `<think>` text left in the content becomes reasoning; `<tool_call>` text becomes calls when the server returned
 * none (its parser is absent or gave up) or in text mode. Content before calls loses its trailing newlines, the
 * separator the chat template puts back when it renders the calls.
 */
export function parseCompletion(
  raw: unknown,
  options: ParseOptions = {},
): AssistantTurn & { notes: ParseNotes } {
  const parsed = CompletionSchema.safeParse(raw);
  if (!parsed.success) {
    const preview = JSON.stringify(raw)?.slice(0, 300) ?? String(raw);
    throw new MalformedResponseError(
      "malformed_response",
      `The server answered with something that is not a chat completion (${parsed.error.issues[0]?.message ?? "invalid"} at ${parsed.error.issues[0]?.path.join(".") || "root"}): ${preview}`,
    );
  }
  const choice = parsed.data.choices[0];
  if (!choice) throw new MalformedResponseError("malformed_response", "The server returned no choices.");
  const message = choice.message;
  const nativeCalls: ToolCall[] = (message.tool_calls ?? []).map((call) => ({
    id: call.id || `call_${randomUUID().replaceAll("-", "")}`,
    name: call.function.name,
    arguments:
      typeof call.function.arguments === "string"
        ? call.function.arguments
        : call.function.arguments
          ? JSON.stringify(call.function.arguments)
          : "",
  }));
  const hasTools = (options.tools?.length ?? 0) > 0;
  const text = readTextTurn(
    message.content ?? "",
    message.reasoning ?? message.reasoning_content ?? undefined,
    {
      parseCalls: hasTools && (options.toolCalls === "text" || nativeCalls.length === 0),
      tools: options.tools ?? [],
      truncated: choice.finish_reason === "length",
    },
  );
  const toolCalls = nativeCalls.length > 0 ? nativeCalls : text.calls;
  const usage = parsed.data.usage;
  const turn: AssistantTurn & { notes: ParseNotes } = {
    content: toolCalls.length > 0 ? text.content.trimEnd() : text.content,
    toolCalls,
    finishReason: toFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: {
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens: usage?.completion_tokens ?? 0,
      cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      costUsd: 0,
    },
    notes: { textCalls: text.calls.length, repaired: text.repaired, problems: text.problems },
  };
  if (toolCalls.length > 0) turn.toolCallSource = nativeCalls.length > 0 ? "native" : "text";
  if (text.reasoning) turn.reasoning = text.reasoning;
  return turn;
}

function toFinishReason(value: string | null | undefined, hasToolCalls: boolean): FinishReason {
  // Calls read from the text come with "stop": the model stopped to have its calls run.
  if (hasToolCalls && value === "stop") return "tool_calls";
  switch (value) {
    case "stop":
    case "length":
    case "content_filter":
    case "tool_calls":
      return value;
    case "function_call":
      return "tool_calls";
    case null:
    case undefined:
      return hasToolCalls ? "tool_calls" : "stop";
    default:
      return "other";
  }
}
