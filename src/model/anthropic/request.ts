import { jsonrepair } from "jsonrepair";
import { z } from "zod";
import type { Message, ModelRequest, ToolChoice, ToolSpec } from "../types.js";

/** Settings that shape a Messages API request (secret-free; recorded in trajectory headers). */
export const AnthropicSettingsSchema = z.object({
  /** Required by the API. */
  maxTokens: z.number().int().positive(),
  temperature: z.number().optional(),
  /** Extended thinking with this token budget (≥ 1024, below maxTokens); off when unset. */
  thinkingBudget: z.number().int().min(1024).optional(),
  /** Cache the stable prefix (tools and system prompt) and the growing conversation. */
  promptCaching: z.boolean(),
  stream: z.boolean(),
});
/** Settings that shape a Messages API request; see `AnthropicSettingsSchema`. */
export type AnthropicSettings = z.infer<typeof AnthropicSettingsSchema>;

type CacheControl = { cache_control?: { type: "ephemeral" } };
type TextBlock = { type: "text"; text: string } & CacheControl;
type Block =
  | TextBlock
  | ({ type: "tool_result"; tool_use_id: string; content: string } & CacheControl)
  | ({ type: "tool_use"; id: string; name: string; input: Record<string, unknown> } & CacheControl)
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "redacted_thinking"; data: string };
export interface AnthropicWireMessage {
  role: "user" | "assistant";
  content: Block[];
}

export interface MessagesRequestBody {
  model: string;
  max_tokens: number;
  system?: TextBlock[];
  messages: AnthropicWireMessage[];
  tools?: Array<{ name: string; description: string; input_schema: Record<string, unknown> } & CacheControl>;
  tool_choice?: { type: "auto" | "any" | "none" } | { type: "tool"; name: string };
  thinking?: { type: "enabled"; budget_tokens: number };
  temperature?: number;
}

const EPHEMERAL = { type: "ephemeral" } as const;

/**
 * The exact body of a Messages API request. Pure, so a trajectory can rebuild it. System messages become the
 * `system` blocks; tool results become `tool_result` blocks in the next user turn; earlier thinking blocks go back
 * unchanged with their signatures, as the API requires. With caching on, breakpoints mark the end of the stable
 * prefix (tools + system) and the last two user turns, so each request reads what the previous one wrote.
 * Structured output (`responseFormat`) is a forced call of a tool whose input schema is the requested schema;
 * forcing a tool is incompatible with thinking, so such a request has none.
 */
export function buildMessagesRequestBody(
  model: string,
  settings: AnthropicSettings,
  request: ModelRequest,
): MessagesRequestBody {
  const options = request.options ?? {};
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content);
  const body: MessagesRequestBody = {
    model,
    max_tokens: options.maxTokens ?? settings.maxTokens,
    messages: toWireMessages(request.messages.filter((message) => message.role !== "system")),
  };
  if (system.length > 0) body.system = system.map((text) => ({ type: "text", text }));
  const tools = request.tools.map(toWireTool);
  let toolChoice = options.toolChoice === undefined ? undefined : toWireToolChoice(options.toolChoice);
  if (options.responseFormat) {
    tools.push({
      name: options.responseFormat.name,
      description: "Give the final answer as structured data matching this schema.",
      input_schema: options.responseFormat.schema,
    });
    toolChoice = { type: "tool", name: options.responseFormat.name };
  }
  if (tools.length > 0) body.tools = tools;
  if (toolChoice) body.tool_choice = toolChoice;
  const forced = toolChoice?.type === "any" || toolChoice?.type === "tool";
  if (settings.thinkingBudget !== undefined && !forced) {
    body.thinking = { type: "enabled", budget_tokens: settings.thinkingBudget };
  } else if (settings.temperature !== undefined) {
    body.temperature = settings.temperature; // with thinking on, the API accepts no temperature but 1
  }
  if (settings.promptCaching) markCacheBreakpoints(body);
  return body;
}

function toWireMessages(messages: readonly Message[]): AnthropicWireMessage[] {
  const out: AnthropicWireMessage[] = [];
  const push = (role: "user" | "assistant", blocks: Block[]) => {
    const last = out.at(-1);
    if (role === "user" && last?.role === "user") last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "user":
        push("user", [{ type: "text", text: message.content }]);
        break;
      case "tool":
        push("user", [{ type: "tool_result", tool_use_id: message.toolCallId, content: message.content }]);
        break;
      case "assistant": {
        const blocks: Block[] = [...(message.thinkingBlocks ?? [])];
        if (message.content !== "") blocks.push({ type: "text", text: message.content });
        for (const call of message.toolCalls) {
          blocks.push({ type: "tool_use", id: call.id, name: call.name, input: toolInput(call.arguments) });
        }
        push("assistant", blocks);
        break;
      }
    }
  }
  return out;
}

/** The API takes tool input as an object: the argument text parsed (repaired if need be), else empty. */
function toolInput(text: string): Record<string, unknown> {
  for (const candidate of [() => text, () => jsonrepair(text)]) {
    try {
      const value: unknown = JSON.parse(candidate());
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // next
    }
  }
  return {};
}

function toWireTool(tool: ToolSpec): NonNullable<MessagesRequestBody["tools"]>[number] {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters };
}

function toWireToolChoice(choice: ToolChoice): NonNullable<MessagesRequestBody["tool_choice"]> {
  if (typeof choice !== "string") return { type: "tool", name: choice.name };
  return { type: choice === "required" ? "any" : choice };
}

function markCacheBreakpoints(body: MessagesRequestBody): void {
  const prefixEnd = body.system?.at(-1) ?? body.tools?.at(-1);
  if (prefixEnd) prefixEnd.cache_control = EPHEMERAL;
  const userTurns = body.messages.filter((message) => message.role === "user").slice(-2);
  for (const message of userTurns) {
    const last = message.content.at(-1);
    if (last && last.type !== "thinking" && last.type !== "redacted_thinking") last.cache_control = EPHEMERAL;
  }
}
