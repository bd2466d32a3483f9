import { z } from "zod";
import { TEXT_CALL_FORMATS, toTextConversation } from "../text-calls/conversation.js";
import type { Message, ModelRequest, ToolChoice, ToolSpec } from "../types.js";

/** Settings that shape an OpenAI-compatible request body (secret-free; recorded in trajectory headers). */
export const OpenAISettingsSchema = z.object({
  temperature: z.number().optional(),
  maxTokens: z.number().int().positive().optional(),
  /** Send assistant reasoning back as `reasoning_content`. */
  reasoningRoundTrip: z.boolean(),
  /**
   * `native` (default): tools in the request, calls from `tool_calls` (and from `<tool_call>` text in `content`
   * when the server's parser gave up). `text`: for servers without a tool parser: tools described in the system
   * prompt, calls and results written into the conversation as text, calls always read from `content`.
   */
  toolCalls: z.enum(["native", "text"]).optional(),
  /** How calls are written as text (`toolCalls: text`): Qwen3 hermes JSON (default) or Qwen3-Coder XML. */
  toolCallFormat: z.enum(TEXT_CALL_FORMATS).optional(),
  /** Extra top-level body fields (e.g. vLLM's `chat_template_kwargs`). */
  extraBody: z.record(z.string(), z.unknown()).optional(),
});
/** Settings that shape an OpenAI-compatible request body; see `OpenAISettingsSchema`. */
export type OpenAISettings = z.infer<typeof OpenAISettingsSchema>;

export type WireMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string;
      reasoning_content?: string;
      tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
    }
  | { role: "tool"; tool_call_id: string; content: string };

/** A chat-completions request body as sent; `extraBody` settings land as extra top-level fields. */
export interface ChatRequestBody {
  model: string;
  messages: WireMessage[];
  tools?: Array<{ type: "function"; function: ToolSpec }>;
  tool_choice?: "auto" | "none" | "required" | { type: "function"; function: { name: string } };
  response_format?: { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown> } };
  temperature?: number;
  max_tokens?: number;
  [extra: string]: unknown;
}

/**
 * The exact body of a chat-completions request. Pure: the same inputs give the same bytes under
 * `JSON.stringify`, which is what the SDK sends, so a trajectory can rebuild every request it made.
 */
export function buildChatRequestBody(
  model: string,
  settings: OpenAISettings,
  request: ModelRequest,
): ChatRequestBody {
  const text = settings.toolCalls === "text";
  const messages = text
    ? toTextConversation(request.messages, request.tools, settings.toolCallFormat ?? "hermes")
    : request.messages;
  const body: ChatRequestBody = {
    model,
    messages: messages.map((message) => toWireMessage(message, settings.reasoningRoundTrip)),
  };
  if (request.tools.length > 0 && !text) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  const options = request.options ?? {};
  if (options.toolChoice !== undefined && !text) body.tool_choice = toWireToolChoice(options.toolChoice);
  if (options.responseFormat) {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: options.responseFormat.name, schema: options.responseFormat.schema },
    };
  }
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  const maxTokens = options.maxTokens ?? settings.maxTokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (settings.extraBody) {
    for (const [key, value] of Object.entries(settings.extraBody)) if (!(key in body)) body[key] = value;
  }
  return body;
}

export function toWireMessage(message: Message, reasoningRoundTrip: boolean): WireMessage {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
    case "assistant": {
      const wire: WireMessage = { role: "assistant", content: message.content };
      if (reasoningRoundTrip && message.reasoning) wire.reasoning_content = message.reasoning;
      if (message.toolCalls.length > 0) {
        wire.tool_calls = message.toolCalls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      return wire;
    }
  }
}

function toWireToolChoice(choice: ToolChoice): NonNullable<ChatRequestBody["tool_choice"]> {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
}
