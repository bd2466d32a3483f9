import type { Message, ToolSpec } from "../types.js";
import { hermesToolsPrompt, renderHermesCall } from "./hermes.js";

/** One `<|im_start|>{role}\n{content}<|im_end|>\n` block of a rendered conversation. */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
  /** Indices of the messages this turn renders (a run of tool results shares one user turn). */
  messages: number[];
}

export function turnText(turn: Pick<ChatTurn, "role" | "content">): string {
  return `<|im_start|>${turn.role}\n${turn.content}<|im_end|>\n`;
}

export interface Qwen3RenderOptions {
  addGenerationPrompt?: boolean;
  /** `enable_thinking=False`: the generation prompt carries an empty think block. */
  enableThinking?: boolean;
}

/**
 * The conversation as Qwen3's chat template (Qwen3-0.6B … Qwen3-235B-A22B, the hybrid-thinking models) renders it
 * through Hugging Face's `apply_chat_template`, turn by turn: tools in the system prompt, calls as `<tool_call>`
 * blocks (argument text verbatim, as the template prints string arguments), runs of tool results as one user turn
 * of `<tool_response>` blocks, and reasoning as a `<think>` block only on assistant turns after the last real user
 * query (always on the final message). The golden tests compare this with the template itself.
 */
export function renderQwen3Turns(messages: readonly Message[], tools: readonly ToolSpec[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  const first = messages[0];
  const system = first?.role === "system" ? first.content : undefined;
  if (tools.length > 0) {
    const content = (system === undefined ? "" : `${system}\n\n`) + hermesToolsPrompt(tools);
    turns.push({ role: "system", content, messages: system === undefined ? [] : [0] });
  } else if (system !== undefined) {
    turns.push({ role: "system", content: system, messages: [0] });
  }
  const lastQuery = lastQueryIndex(messages);
  let responses: ChatTurn | undefined;
  messages.forEach((message, index) => {
    if (message.role !== "tool") responses = undefined;
    if (message.role === "user" || (message.role === "system" && index > 0)) {
      turns.push({ role: message.role, content: message.content, messages: [index] });
    } else if (message.role === "assistant") {
      const isLast = index === messages.length - 1;
      turns.push({
        role: "assistant",
        content: renderAssistantTurn(message, index > lastQuery, isLast),
        messages: [index],
      });
    } else if (message.role === "tool") {
      const block = `<tool_response>\n${message.content}\n</tool_response>`;
      if (responses) {
        responses.content += `\n${block}`;
        responses.messages.push(index);
      } else {
        responses = { role: "user", content: block, messages: [index] };
        turns.push(responses);
      }
    }
  });
  return turns;
}

/** The whole prompt text, as `apply_chat_template(messages, tools=tools, tokenize=False)` returns it. */
export function renderQwen3(
  messages: readonly Message[],
  tools: readonly ToolSpec[],
  options: Qwen3RenderOptions = {},
): string {
  let text = renderQwen3Turns(messages, tools).map(turnText).join("");
  if (options.addGenerationPrompt) {
    text += "<|im_start|>assistant\n";
    if (options.enableThinking === false) text += "<think>\n\n</think>\n\n";
  }
  return text;
}

/**
 * The index of the last user message that is not entirely a `<tool_response>` block: the template keeps reasoning
 * only on assistant turns after it. Without one, the last message's index.
 */
export function lastQueryIndex(messages: readonly Message[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== "user") continue;
    const { content } = message;
    if (!(content.startsWith("<tool_response>") && content.endsWith("</tool_response>"))) return index;
  }
  return messages.length - 1;
}

/**
 * An assistant turn's content: reasoning (from the message, or split off `<think>` text in the content) as a think
 * block when the turn comes after the last user query and is the final message or has reasoning; then the text
 * and the calls.
 */
export function renderAssistantTurn(
  message: Extract<Message, { role: "assistant" }>,
  afterQuery: boolean,
  isLast: boolean,
): string {
  let content = message.content;
  let reasoning = message.reasoning ?? "";
  if (message.reasoning === undefined && content.includes("</think>")) {
    const parts = content.split("</think>");
    reasoning = trimStart((parts[0] ?? "").replace(/\n+$/, "").split("<think>").at(-1) ?? "");
    content = trimStart(parts.at(-1) ?? "");
  }
  let body =
    afterQuery && (isLast || reasoning !== "")
      ? `<think>\n${reasoning.replace(/^\n+|\n+$/g, "")}\n</think>\n\n${trimStart(content)}`
      : content;
  message.toolCalls.forEach((call, index) => {
    if (index > 0 || content !== "") body += "\n";
    body += renderHermesCall(call.name, call.arguments);
  });
  return body;
}

function trimStart(text: string): string {
  return text.replace(/^\n+/, "");
}
