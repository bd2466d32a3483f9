import { z } from "zod";
import { InputError } from "../../common/errors.js";
import { pythonJsonDumps } from "../../common/python-json.js";
import type { Message, ToolCall, ToolSpec } from "../../model/types.js";

/**
 * The OpenAI chat format (what Hugging Face chat templates, TRL and most trainers read): messages with
 * `tool_calls` whose arguments are JSON text, `tool` messages answering them by id, and reasoning as
 * `reasoning_content` (the key Qwen3's template reads). Converts both ways with the conversation type of the core.
 */
export interface OpenAiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}
/** One message in the OpenAI chat format (reasoning as `reasoning_content`, tool results answering by id). */
export type OpenAiMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; reasoning_content?: string; tool_calls?: OpenAiToolCall[] }
  | { role: "tool"; content: string; tool_call_id: string; name: string };
/** A tool in the OpenAI chat format's `function` envelope. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The conversation in the OpenAI chat format, message for message (argument text kept verbatim). */
export function toOpenAiMessages(messages: readonly Message[]): OpenAiMessage[] {
  return messages.map((message): OpenAiMessage => {
    if (message.role === "tool") {
      return { role: "tool", content: message.content, tool_call_id: message.toolCallId, name: message.name };
    }
    if (message.role !== "assistant") return { role: message.role, content: message.content };
    return {
      role: "assistant",
      content: message.content,
      ...(message.reasoning === undefined ? {} : { reasoning_content: message.reasoning }),
      ...(message.toolCalls.length === 0
        ? {}
        : {
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: "function" as const,
              function: { name: call.name, arguments: call.arguments },
            })),
          }),
    };
  });
}

/** Tools in the OpenAI envelope, keys in the order OpenHands' `to_openai_tool()` gives them. */
export function toOpenAiTools(tools: readonly ToolSpec[]): OpenAiTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

/**
 * Observations OpenHands recorded for calls it never registered (an unknown tool, an invalid argument); their
 * assistant call is missing, so keeping them would put two user turns in a row (reference §10.3).
 */
export const INVALID_OBSERVATION = /^\s*Tool \S+ is not registered\.|^Unexpected argument\b/;

const ContentSchema = z
  .union([z.string(), z.null(), z.array(z.object({ text: z.string().optional() }).loose())])
  .optional();
const RawCallSchema = z
  .object({
    id: z.string().optional(),
    function: z.object({ name: z.string(), arguments: z.unknown().optional() }).loose().optional(),
    name: z.string().optional(),
    arguments: z.unknown().optional(),
  })
  .loose();
const RawMessageSchema = z
  .object({
    role: z.string(),
    content: ContentSchema,
    reasoning_content: z.string().nullable().optional(),
    tool_calls: z.array(RawCallSchema).nullable().optional(),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
  })
  .loose();

export interface OpenAiConversation {
  messages: Message[];
  /** Invalid observations left out (see INVALID_OBSERVATION). */
  dropped: number;
}

/**
 * Reads OpenAI-format messages (a list, or its JSON text): list content is joined with newlines, null content is
 * empty, object arguments become Python-style JSON text (what the template's `tojson` prints), and OpenHands'
 * invalid observations are dropped. `developer` counts as `system`.
 */
export function fromOpenAiMessages(input: unknown, where: string): OpenAiConversation {
  const list = typeof input === "string" ? parseJson(input, `${where} messages`) : input;
  const parsed = z.array(RawMessageSchema).safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      "messages_invalid",
      `${where}: messages must be a list of {role, content} chat messages (${issue?.path.join(".")}: ${issue?.message}).`,
    );
  }
  const messages: Message[] = [];
  const callNames = new Map<string, string>();
  let dropped = 0;
  parsed.data.forEach((raw, index) => {
    const content = contentText(raw.content);
    const role = raw.role === "developer" ? "system" : raw.role;
    if (role === "system" || role === "user") {
      if (role === "user" && INVALID_OBSERVATION.test(content)) dropped++;
      else messages.push({ role, content });
    } else if (role === "assistant") {
      const toolCalls = (raw.tool_calls ?? []).map((call, callIndex) =>
        toolCall(call, `${index}_${callIndex}`),
      );
      for (const call of toolCalls) callNames.set(call.id, call.name);
      messages.push({
        role: "assistant",
        content,
        ...(typeof raw.reasoning_content === "string" ? { reasoning: raw.reasoning_content } : {}),
        toolCalls,
      });
    } else if (role === "tool") {
      if (INVALID_OBSERVATION.test(content)) {
        dropped++;
        return;
      }
      const toolCallId = raw.tool_call_id ?? "";
      messages.push({ role: "tool", toolCallId, name: raw.name ?? callNames.get(toolCallId) ?? "", content });
    } else {
      throw new InputError(
        "messages_invalid",
        `${where}: message ${index + 1} has role "${raw.role}"; expected system, user, assistant or tool.`,
      );
    }
  });
  return { messages, dropped };
}

/** Tools in the OpenAI envelope or bare `{name, description, parameters}`, as a list or its JSON text. */
export function fromOpenAiTools(input: unknown, where: string): ToolSpec[] {
  if (input === undefined || input === null || input === "") return [];
  const list = typeof input === "string" ? parseJson(input, `${where} tools`) : input;
  const tool = z
    .object({
      name: z.string(),
      description: z.string().default(""),
      parameters: z.record(z.string(), z.unknown()).default({}),
    })
    .loose();
  const items = Array.isArray(list) ? list : [undefined];
  return items.map((item, index) => {
    const wrapped = item !== null && typeof item === "object" && "function" in item ? item.function : item;
    const parsed = tool.safeParse(wrapped);
    if (!parsed.success) {
      throw new InputError(
        "tools_invalid",
        `${where}: tool ${index + 1} is not an OpenAI tool ({"type": "function", "function": {name, description, parameters}}).`,
      );
    }
    return {
      name: parsed.data.name,
      description: parsed.data.description,
      parameters: parsed.data.parameters,
    };
  });
}

function toolCall(raw: z.infer<typeof RawCallSchema>, fallbackId: string): ToolCall {
  const name = raw.function?.name ?? raw.name ?? "";
  const args = raw.function ? raw.function.arguments : raw.arguments;
  return {
    id: raw.id ?? `call_${fallbackId}`,
    name,
    arguments: typeof args === "string" ? args : pythonJsonDumps(args ?? {}),
  };
}

function contentText(content: z.infer<typeof ContentSchema>): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? "").join("\n");
  return "";
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError("json_invalid", `${what} is not valid JSON: ${(error as Error).message}`);
  }
}
