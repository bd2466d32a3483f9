import { jsonrepair } from "jsonrepair";
import { pythonJsonDumps } from "../../common/python-json.js";
import type { ToolSpec } from "../types.js";
import type { TextToolCall } from "./hermes.js";

/**
 * The `qwen3_coder` format (Qwen3-Coder models, and OpenHands' text fallback):
 * `<function=NAME>\n<parameter=KEY>\nvalue\n</parameter>\n</function>`, usually inside `<tool_call>`.
 * Values are plain text; like vLLM's `qwen3_coder` parser we convert them by the tool's JSON schema (integer,
 * number, boolean, object, array; strings stay as written) and serialise the arguments Python-style.
 */
export function parseXmlFunction(
  body: string,
  tools: readonly ToolSpec[],
): TextToolCall | { problem: string } {
  const head = /^\s*<function=([^>\n]*)>/.exec(body);
  const name = head?.[1]?.trim();
  if (!head || !name) return { problem: "the call has no function name" };
  const rest = body.slice(head[0].length).replace(/<\/function>\s*$/, "");
  const properties = propertiesOf(tools.find((tool) => tool.name === name));
  const args: Record<string, unknown> = {};
  let repaired = false;
  const parameter = /<parameter=([^>\n]*)>([\s\S]*?)(<\/parameter>|(?=<parameter=)|$)/g;
  for (const match of rest.matchAll(parameter)) {
    const key = (match[1] ?? "").trim();
    if (key === "") continue;
    if (match[3] !== "</parameter>") repaired = true;
    const raw = (match[2] ?? "").replace(/^\n/, "").replace(/\n$/, "");
    args[key] = convertValue(raw, properties[key]);
  }
  return { name, arguments: pythonJsonDumps(args), repaired, text: body };
}

function propertiesOf(tool: ToolSpec | undefined): Record<string, Record<string, unknown>> {
  const properties = tool?.parameters.properties;
  return properties !== null && typeof properties === "object"
    ? (properties as Record<string, Record<string, unknown>>)
    : {};
}

function convertValue(raw: string, schema: Record<string, unknown> | undefined): unknown {
  const type = schemaType(schema);
  if (type === undefined || type === "string") return raw;
  const text = raw.trim();
  if (text.toLowerCase() === "null") return null;
  switch (type) {
    case "integer": {
      const value = Number(text);
      return Number.isInteger(value) ? value : raw;
    }
    case "number": {
      const value = Number(text);
      return text !== "" && Number.isFinite(value) ? value : raw;
    }
    case "boolean":
      return text.toLowerCase() === "true" ? true : text.toLowerCase() === "false" ? false : raw;
    default:
      return parseStructured(text) ?? raw;
  }
}

function schemaType(schema: Record<string, unknown> | undefined): string | undefined {
  const type = schema?.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return type.find((item) => item !== "null") as string | undefined;
  return undefined;
}

function parseStructured(text: string): unknown {
  for (const candidate of [text, () => jsonrepair(text)]) {
    try {
      return JSON.parse(typeof candidate === "string" ? candidate : candidate());
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/** A call as the Qwen3-Coder chat template renders it. */
export function renderXmlFunctionCall(name: string, argumentsText: string): string {
  let text = `<tool_call>\n<function=${name}>\n`;
  for (const [key, value] of Object.entries(parseArgumentsObject(argumentsText))) {
    text += `<parameter=${key}>\n${templateString(value)}\n</parameter>\n`;
  }
  return `${text}</function>\n</tool_call>`;
}

/** An assistant turn's text with its calls, as the Qwen3-Coder chat template renders it. */
export function renderXmlFunctionAssistant(
  content: string,
  calls: readonly { name: string; arguments: string }[],
): string {
  if (calls.length === 0) return content;
  // The template writes "\n" + content + "\n" (when there is content) and "\n" + call for each call after the
  // role line; the server writes "\n" + our content there, so ours is that text without its first newline.
  const trimmed = content.trim();
  const text =
    (trimmed === "" ? "" : `\n${trimmed}\n`) +
    calls.map((call) => `\n${renderXmlFunctionCall(call.name, call.arguments)}`).join("");
  return text.slice(1);
}

function parseArgumentsObject(text: string): Record<string, unknown> {
  const value = parseStructured(text);
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Jinja's `tojson` for mappings and lists, Python's `str()` otherwise. */
function templateString(value: unknown): string {
  if (value !== null && typeof value === "object") return pythonJsonDumps(value);
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null) return "None";
  return String(value);
}

export const QWEN3_CODER_DEFAULT_SYSTEM =
  "You are Qwen, a helpful AI assistant that can interact with a computer to solve tasks.";

/** The tools section the Qwen3-Coder chat template appends to the system prompt (starting with `\n\n`). */
export function xmlFunctionToolsPrompt(tools: readonly ToolSpec[]): string {
  let text = "\n\n# Tools\n\nYou have access to the following functions:\n\n<tools>";
  for (const tool of tools) {
    text += `\n<function>\n<name>${tool.name}</name>`;
    if (tool.description) text += `\n<description>${tool.description.trim()}</description>`;
    text += "\n<parameters>";
    for (const [name, fields] of Object.entries(propertiesOf(tool))) {
      text += `\n<parameter>\n<name>${name}</name>`;
      if (fields.type !== undefined) text += `\n<type>${templateString(fields.type)}</type>`;
      if (typeof fields.description === "string")
        text += `\n<description>${fields.description.trim()}</description>`;
      text += extraKeys(fields, ["name", "type", "description"]);
      text += "\n</parameter>";
    }
    text += extraKeys(tool.parameters, ["type", "properties"]);
    text += "\n</parameters>\n</function>";
  }
  return (
    `${text}\n</tools>\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n` +
    "<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n" +
    "<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n" +
    "</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n" +
    "- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n" +
    "- Required parameters MUST be specified\n" +
    "- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after\n" +
    "- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n" +
    "</IMPORTANT>"
  );
}

function extraKeys(fields: Record<string, unknown>, handled: readonly string[]): string {
  let text = "";
  for (const [key, value] of Object.entries(fields)) {
    if (handled.includes(key)) continue;
    text += `\n<${key}>${templateString(value)}</${key}>`;
  }
  return text;
}
