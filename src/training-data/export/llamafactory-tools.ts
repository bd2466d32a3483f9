import { pythonJsonDumps } from "../../common/python-json.js";
import { renderHermesCall } from "../../model/text-calls/hermes.js";
import { lastQueryIndex, renderAssistantTurn } from "../../model/text-calls/qwen3-template.js";
import type { Message, ToolSpec } from "../../model/types.js";
import { toOpenAiTools } from "../../trajectory/formats/openai-chat.js";
import { reportsFailure } from "./turn-mask.js";
import { shareGptProblems } from "./validate-sharegpt.js";

/** A turn of the tools-column form: calls and results get their own roles, and LLaMA-Factory renders them. */
export interface ToolsFormMessage {
  role: "user" | "assistant" | "function_call" | "observation";
  content: string;
  turn_mask: boolean;
}

export interface ToolsFormRecord {
  system: string;
  /** The tools as a JSON string (LLaMA-Factory's `tools` column). */
  tools: string;
  messages: ToolsFormMessage[];
}

/**
 * The alternative LLaMA-Factory form: a `system` and a `tools` column, and turns with `function_call` and
 * `observation` roles that LLaMA-Factory's own Qwen tool formatter turns into `<tool_call>` and `<tool_response>`
 * blocks. A call turn keeps the text before its calls (reasoning and prose) ahead of one `<tool_call>` block that
 * holds all its calls, which LLaMA-Factory (0.9.3 and later, with tool-call words) splits back into one block per
 * call. Runs that cannot be written this way (a notice right after tool results; an answer right after a call)
 * are refused with the reason.
 */
export function llamaFactoryToolsRecord(
  messages: readonly Message[],
  tools: readonly ToolSpec[],
  maskPatterns: readonly RegExp[],
): { ok: true; record: ToolsFormRecord } | { ok: false; reason: string } {
  const system = messages[0]?.role === "system" ? messages[0].content : "";
  const lastQuery = lastQueryIndex(messages);
  const turns: ToolsFormMessage[] = [];
  for (const [index, message] of messages.entries()) {
    if (index === 0 && message.role === "system") continue;
    const previous = turns.at(-1);
    if (message.role === "tool") {
      if (previous?.role === "observation")
        previous.content += `\n</tool_response>\n<tool_response>\n${message.content}`;
      else if (previous?.role === "function_call")
        turns.push({ role: "observation", content: message.content, turn_mask: true });
      else return { ok: false, reason: "a tool result does not follow a tool call" };
    } else if (message.role === "user" || message.role === "system") {
      if (previous?.role === "user")
        previous.content += `<|im_end|>\n<|im_start|>${message.role}\n${message.content}`;
      else if (previous === undefined || previous.role === "assistant" || previous.role === "function_call") {
        if (message.role === "system") return { ok: false, reason: "a system message after a reply" };
        turns.push({ role: "user", content: message.content, turn_mask: true });
      } else return { ok: false, reason: "a user message right after tool results" };
    } else {
      const body = renderAssistantTurn(message, index > lastQuery, index === messages.length - 1);
      const content = callTurnContent(message, body);
      const role = message.toolCalls.length > 0 ? "function_call" : "assistant";
      if (previous?.role === "assistant") {
        previous.content += `<|im_end|>\n<|im_start|>assistant\n${content}`;
        previous.role = role;
      } else if (previous?.role === "function_call") {
        return { ok: false, reason: "an answer right after a tool call" };
      } else turns.push({ role, content, turn_mask: false });
    }
  }
  while (turns.length > 0 && (turns.at(-1)?.role === "user" || turns.at(-1)?.role === "observation"))
    turns.pop();
  turns.forEach((turn, index) => {
    const next = turns[index + 1];
    if (turn.turn_mask || !next) return;
    const text =
      next.role === "observation" ? `<tool_response>\n${next.content}\n</tool_response>` : next.content;
    if (reportsFailure(text, maskPatterns)) turn.turn_mask = true;
  });
  const record: ToolsFormRecord = { system, tools: pythonJsonDumps(toOpenAiTools(tools)), messages: turns };
  const problems = shareGptProblems(record);
  return problems.length > 0 ? { ok: false, reason: problems.join("; ") } : { ok: true, record };
}

/** The rendered turn with all its calls moved into one `<tool_call>` block (a JSON list when there are several). */
function callTurnContent(message: Extract<Message, { role: "assistant" }>, body: string): string {
  const calls = message.toolCalls;
  if (calls.length === 0) return body;
  const callsText = calls.map((call) => renderHermesCall(call.name, call.arguments)).join("\n");
  const head = body.slice(0, body.length - callsText.length);
  const json = calls.map((call) => `{"name": "${call.name}", "arguments": ${call.arguments.trim() || "{}"}}`);
  return `${head}<tool_call>\n${json.length === 1 ? json[0] : `[${json.join(", ")}]`}\n</tool_call>`;
}
