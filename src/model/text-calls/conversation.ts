import type { Message, ToolSpec } from "../types.js";
import { hermesToolsPrompt, renderHermesAssistant } from "./hermes.js";
import {
  QWEN3_CODER_DEFAULT_SYSTEM,
  renderXmlFunctionAssistant,
  xmlFunctionToolsPrompt,
} from "./xml-function.js";

/** How calls are written as text: Qwen3's hermes JSON blocks, or Qwen3-Coder's XML. */
export const TEXT_CALL_FORMATS = ["hermes", "qwen3_coder"] as const;
export type TextCallFormat = (typeof TEXT_CALL_FORMATS)[number];

/**
 * The conversation as plain chat messages for a server that parses no tool calls (`toolCalls: text`): the tools
 * go into the system prompt, earlier calls into the assistant text, and tool results into user turns of
 * `<tool_response>` blocks — so a server applying the model's own chat template without tools renders exactly
 * what it would have rendered with native tool calling. Pure: the same input gives the same messages.
 */
export function toTextConversation(
  messages: readonly Message[],
  tools: readonly ToolSpec[],
  format: TextCallFormat,
): Message[] {
  const out: Message[] = [];
  const system = messages[0]?.role === "system" ? messages[0].content : undefined;
  if (tools.length > 0) out.push({ role: "system", content: systemWithTools(system, tools, format) });
  else if (system !== undefined) out.push({ role: "system", content: system });
  let responses: string[] = [];
  const flush = () => {
    if (responses.length === 0) return;
    const joined = responses.map((content) => `<tool_response>\n${content}\n</tool_response>`).join("\n");
    out.push({ role: "user", content: format === "qwen3_coder" ? `${joined}\n` : joined });
    responses = [];
  };
  for (const [index, message] of messages.entries()) {
    if (index === 0 && message.role === "system") continue;
    if (message.role === "tool") {
      responses.push(message.content);
      continue;
    }
    flush();
    if (message.role === "assistant") {
      const render = format === "qwen3_coder" ? renderXmlFunctionAssistant : renderHermesAssistant;
      const { thinkingBlocks: _opaque, ...rest } = message;
      out.push({ ...rest, content: render(message.content, message.toolCalls), toolCalls: [] });
    } else {
      out.push(message);
    }
  }
  flush();
  return out;
}

function systemWithTools(
  system: string | undefined,
  tools: readonly ToolSpec[],
  format: TextCallFormat,
): string {
  if (format === "qwen3_coder") return (system ?? QWEN3_CODER_DEFAULT_SYSTEM) + xmlFunctionToolsPrompt(tools);
  const prompt = hermesToolsPrompt(tools);
  return system === undefined ? prompt : `${system}\n\n${prompt}`;
}
