import { parsePythonJson, pythonJsonDumps } from "../../common/python-json.js";
import type { Message } from "../../model/types.js";

/**
 * The conversation a training example is made of: everything up to the agent's last answer (what follows it, such
 * as the `finish` tool's result, was never a model input), with every call's arguments written as Python-style
 * JSON. That is the text the model saw at inference: vLLM parses argument strings before applying the chat
 * template, whose `tojson` writes them back this way; arguments that are not a JSON object stay as written.
 */
export function trainingConversation(messages: readonly Message[]): Message[] {
  let last = messages.length - 1;
  while (last >= 0 && messages[last]?.role !== "assistant") last--;
  return messages.slice(0, last + 1).map((message) =>
    message.role === "assistant"
      ? {
          ...message,
          toolCalls: message.toolCalls.map((call) => ({
            ...call,
            arguments: pythonArguments(call.arguments),
          })),
        }
      : message,
  );
}

export function pythonArguments(text: string): string {
  try {
    const value = parsePythonJson(text);
    return value !== null && typeof value === "object" ? pythonJsonDumps(value) : text;
  } catch {
    return text;
  }
}
