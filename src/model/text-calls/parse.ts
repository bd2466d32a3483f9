import { pythonJsonDumps } from "../../common/python-json.js";
import type { ToolSpec } from "../types.js";
import { parseHermesJson, type TextToolCall } from "./hermes.js";
import { endOfJsonValue } from "./json-scan.js";
import { parseXmlFunction } from "./xml-function.js";

export interface ParsedText {
  /** The text outside the call blocks, each piece trimmed, joined by newlines. */
  content: string;
  calls: TextToolCall[];
  /** Blocks that looked like calls but could not be read (their text stays in `content`). */
  problems: string[];
}

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";
const FUNCTION = "<function=";
const FUNCTION_END = "</function>";

/**
 * Reads tool calls written as text: hermes `<tool_call>{json}</tool_call>` blocks (Qwen, SWE-Review, Hermes
 * models) and `qwen3_coder` `<function=…><parameter=…>` blocks, inside `<tool_call>` or bare. Copes with what
 * models and servers actually produce: several calls, several JSON objects or a list in one block, invalid JSON
 * (repaired), empty or missing arguments, a literal `</tool_call>` inside an argument string, a missing closing
 * tag on the last block, code fences around the JSON, and text before, between and after the calls.
 * `tools` (optional) lets `qwen3_coder` values be typed by the tool's schema.
 */
export function parseTextToolCalls(text: string, tools: readonly ToolSpec[] = []): ParsedText {
  const pieces: string[] = [];
  const calls: TextToolCall[] = [];
  const problems: string[] = [];
  let pos = 0;
  for (;;) {
    const start = nextBlock(text, pos);
    if (start === undefined) {
      pieces.push(text.slice(pos));
      break;
    }
    pieces.push(text.slice(pos, start.index));
    const block =
      start.kind === "tool_call"
        ? readToolCallBlock(text, start.index + OPEN.length, tools)
        : readFunctionBlock(text, start.index, tools);
    for (const result of block.results) {
      if ("problem" in result) {
        problems.push(result.problem);
      } else {
        calls.push(result);
      }
    }
    if (block.results.some((result) => "problem" in result)) pieces.push(text.slice(start.index, block.end));
    pos = block.end;
  }
  const content = pieces
    .map((piece) => piece.trim())
    .filter((piece) => piece !== "")
    .join("\n");
  return { content, calls, problems };
}

/** Whether a text holds anything that looks like a text tool call. */
export function hasTextToolCalls(text: string): boolean {
  return text.includes(OPEN) || /<function=[^>\n]+>/.test(text);
}

type BlockResult = TextToolCall | { problem: string };

function nextBlock(
  text: string,
  from: number,
): { index: number; kind: "tool_call" | "function" } | undefined {
  const open = text.indexOf(OPEN, from);
  const fn = text.indexOf(FUNCTION, from);
  if (open === -1 && fn === -1) return undefined;
  if (fn === -1 || (open !== -1 && open < fn)) return { index: open, kind: "tool_call" };
  return { index: fn, kind: "function" };
}

function readToolCallBlock(
  text: string,
  bodyStart: number,
  tools: readonly ToolSpec[],
): { end: number; results: BlockResult[] } {
  const start = skipFence(text, skipSpace(text, bodyStart));
  if (text.startsWith(FUNCTION, start)) {
    const fnEnd = text.indexOf(FUNCTION_END, start);
    const close = text.indexOf(CLOSE, start);
    if (fnEnd !== -1 && (close === -1 || fnEnd < close)) {
      const after = skipSpace(text, fnEnd + FUNCTION_END.length);
      const end = text.startsWith(CLOSE, after) ? after + CLOSE.length : fnEnd + FUNCTION_END.length;
      return { end, results: [parseXmlFunction(text.slice(start, fnEnd), tools)] };
    }
    const end = close === -1 ? text.length : close;
    return {
      end: close === -1 ? end : end + CLOSE.length,
      results: [parseXmlFunction(text.slice(start, end), tools)],
    };
  }
  const sequence = readJsonSequence(text, start);
  if (sequence) return sequence;
  return readUntilClose(text, start);
}

/** One or more complete JSON values, then the closing tag (or the end, or the next block). */
function readJsonSequence(text: string, start: number): { end: number; results: BlockResult[] } | undefined {
  const bodies: string[] = [];
  let at = start;
  while (text[at] === "{" || text[at] === "[") {
    const end = endOfJsonValue(text, at);
    if (end === undefined) break;
    bodies.push(text.slice(at, end));
    at = skipSpace(text, skipClosingFence(text, skipSpace(text, end)));
    if (text[at] === ",") at = skipSpace(text, at + 1);
  }
  if (bodies.length === 0) return undefined;
  const closed = text.startsWith(CLOSE, at);
  if (!closed && at < text.length && !text.startsWith(OPEN, at)) return undefined;
  return { end: closed ? at + CLOSE.length : at, results: bodies.flatMap(parseJsonBody) };
}

/**
 * The JSON is unbalanced or followed by stray text: the body ends at the first closing tag whose body parses, or
 * else at the first closing tag (or the next block, or the end) and is repaired.
 */
function readUntilClose(text: string, start: number): { end: number; results: BlockResult[] } {
  const nextOpen = text.indexOf(OPEN, start);
  const limit = nextOpen === -1 ? text.length : nextOpen;
  const closes: number[] = [];
  for (let at = text.indexOf(CLOSE, start); at !== -1 && at < limit; at = text.indexOf(CLOSE, at + 1)) {
    closes.push(at);
  }
  for (const close of closes) {
    const body = stripFence(text.slice(start, close));
    if (isJson(body)) return { end: close + CLOSE.length, results: parseJsonBody(body) };
  }
  const first = closes[0];
  const body = stripFence(text.slice(start, first ?? limit));
  return { end: first === undefined ? limit : first + CLOSE.length, results: parseJsonBody(body) };
}

function readFunctionBlock(
  text: string,
  start: number,
  tools: readonly ToolSpec[],
): { end: number; results: BlockResult[] } {
  const fnEnd = text.indexOf(FUNCTION_END, start);
  const end = fnEnd === -1 ? text.length : fnEnd + FUNCTION_END.length;
  return { end, results: [parseXmlFunction(text.slice(start, fnEnd === -1 ? end : fnEnd), tools)] };
}

function parseJsonBody(body: string): BlockResult[] {
  if (body.trim().startsWith("[") && isJson(body)) {
    const items = JSON.parse(body) as unknown[];
    return items.map((item) => parseHermesJson(pythonJsonDumps(item)));
  }
  if (body.trim() === "") return [{ problem: "the block is empty" }];
  return [parseHermesJson(body.trim())];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  return at;
}

/** Skips an opening Markdown code fence (```json) some models put inside the block. */
function skipFence(text: string, from: number): number {
  const fence = /^```[\w-]*[ \t]*\n/.exec(text.slice(from, from + 24));
  return fence ? skipSpace(text, from + fence[0].length) : from;
}

function skipClosingFence(text: string, from: number): number {
  return text.startsWith("```", from) ? from + 3 : from;
}

function stripFence(body: string): string {
  return body
    .trim()
    .replace(/^```[\w-]*[ \t]*\n/, "")
    .replace(/\n?```$/, "")
    .trim();
}
