import { jsonrepair } from "jsonrepair";
import { pythonJsonDumps } from "../../common/python-json.js";
import type { ToolSpec } from "../types.js";
import { topLevelValueText } from "./json-scan.js";

/** A call read from a model's text: the tool name and its argument text (a JSON object, as the model wrote it). */
export interface TextToolCall {
  name: string;
  arguments: string;
  /** The call's JSON was invalid and was repaired (the argument text is then re-serialised). */
  repaired: boolean;
  /** The call as the model wrote it. */
  text: string;
}

/**
 * The call in the JSON body of a hermes `<tool_call>` block: `{"name": …, "arguments": {…}}`. Invalid JSON is
 * repaired when it can be; missing, null or empty arguments are `{}`; arguments given as a JSON string are
 * unwrapped; `parameters` is accepted for `arguments`. Returns a reason instead when no tool name can be read.
 */
export function parseHermesJson(body: string): TextToolCall | { problem: string } {
  let value: unknown;
  let repaired = false;
  try {
    value = JSON.parse(body);
  } catch {
    try {
      value = JSON.parse(jsonrepair(body));
      repaired = true;
    } catch {
      return { problem: "the call is not JSON and could not be repaired" };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { problem: "the call is not a JSON object" };
  }
  const call = value as Record<string, unknown>;
  const name = call.name;
  if (typeof name !== "string" || name.trim() === "") return { problem: "the call has no tool name" };
  const key = "arguments" in call ? "arguments" : "parameters" in call ? "parameters" : undefined;
  const args = key === undefined ? undefined : call[key];
  return { name: name.trim(), arguments: argumentText(args, body, key, repaired), repaired, text: body };
}

function argumentText(args: unknown, body: string, key: string | undefined, repaired: boolean): string {
  if (args === undefined || args === null || args === "") return "{}";
  if (typeof args === "string") return args.trim() === "" ? "{}" : args;
  if (!repaired && key !== undefined) return topLevelValueText(body, key) ?? pythonJsonDumps(args);
  return pythonJsonDumps(args);
}

/**
 * A call as a Qwen-family model writes it and as the Qwen3 template renders it: the name between quotes as is,
 * the argument text verbatim (empty argument text becomes `{}`, where the template would print invalid JSON).
 */
export function renderHermesCall(name: string, argumentsText: string): string {
  const args = argumentsText.trim() === "" ? "{}" : argumentsText;
  return `<tool_call>\n{"name": "${name}", "arguments": ${args}}\n</tool_call>`;
}

/** An assistant turn's text with its calls, as the Qwen3 chat template renders it. */
export function renderHermesAssistant(
  content: string,
  calls: readonly { name: string; arguments: string }[],
) {
  let text = content;
  calls.forEach((call, index) => {
    if (index > 0 || content !== "") text += "\n";
    text += renderHermesCall(call.name, call.arguments);
  });
  return text;
}

/** The tools section the Qwen3 chat template appends to the system prompt. */
export function hermesToolsPrompt(tools: readonly ToolSpec[]): string {
  const lines = tools.map((tool) =>
    pythonJsonDumps({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }),
  );
  return (
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
    `${lines.join("\n")}\n</tools>\n\n` +
    "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n" +
    '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
  );
}
