import { readFileSync } from "node:fs";
import { InputError } from "../../common/errors.js";

/**
 * LLaMA-Factory's ShareGPT rules (reference §11.3), checked the way its converter and supervised processor apply
 * them, so a file that passes here loads there with no example skipped: a leading system message is lifted; then
 * user/observation turns at even positions and assistant/function_call turns at odd ones; an even, non-zero
 * number of turns; string contents; boolean turn masks; a `tools` column holding a JSON list; function calls that
 * parse as `{"name", "arguments"}` JSON.
 */
const PROMPT_ROLES = new Set(["user", "observation"]);
const RESPONSE_ROLES = new Set(["assistant", "function_call"]);

export function shareGptProblems(record: unknown): string[] {
  if (record === null || typeof record !== "object" || Array.isArray(record))
    return ["the record is not an object"];
  const row = record as Record<string, unknown>;
  const messages = row.messages;
  if (!Array.isArray(messages)) return ["the record has no messages list"];
  const problems: string[] = [];
  let turns = messages;
  const first = messages[0] as Record<string, unknown> | undefined;
  if (first?.role === "system") turns = messages.slice(1);
  if (row.system !== undefined && typeof row.system !== "string")
    problems.push("the system column is not a string");
  if (turns.length === 0) problems.push("there are no user/assistant turns");
  if (turns.length % 2 !== 0)
    problems.push(`an odd number of turns (${turns.length}): the last must be a reply`);
  turns.forEach((item, index) => {
    const message = (item ?? {}) as Record<string, unknown>;
    const allowed = index % 2 === 0 ? PROMPT_ROLES : RESPONSE_ROLES;
    if (typeof message.role !== "string" || !allowed.has(message.role)) {
      problems.push(
        `turn ${index + 1} has role ${JSON.stringify(message.role)}; expected ${[...allowed].join(" or ")}`,
      );
    }
    if (typeof message.content !== "string") problems.push(`turn ${index + 1} has no string content`);
    if (message.turn_mask !== undefined && typeof message.turn_mask !== "boolean") {
      problems.push(`turn ${index + 1} has a turn_mask that is not true or false`);
    }
    if (
      message.role === "function_call" &&
      typeof message.content === "string" &&
      !parsesAsCall(message.content)
    ) {
      problems.push(`turn ${index + 1} is a function_call whose calls are not {"name", "arguments"} JSON`);
    }
  });
  if (row.tools !== undefined && !isJsonList(row.tools))
    problems.push("the tools column is not a JSON string of a list");
  return problems;
}

/**
 * The text LLaMA-Factory's `qwen3_nothink` template builds from a record of the pre-rendered form: the system slot,
 * then each user turn followed by the assistant header, and each reply closed by `<|im_end|>`.
 */
export function llamaFactoryQwen3Text(messages: readonly { role: string; content: string }[]): string {
  return messages
    .map((message) => {
      if (message.role === "system") return `<|im_start|>system\n${message.content}<|im_end|>\n`;
      if (message.role === "user")
        return `<|im_start|>user\n${message.content}<|im_end|>\n<|im_start|>assistant\n`;
      return `${message.content}<|im_end|>\n`;
    })
    .join("");
}

export interface ShareGptFileReport {
  path: string;
  records: number;
  valid: number;
  /** The first problems found, with the record they are in (1-based). */
  problems: { record: number; problem: string }[];
}

/** Checks every record of a JSON (array) or JSONL file. */
export function validateShareGptFile(path: string, maxProblems = 20): ShareGptFileReport {
  const records = readRecordsOf(path);
  const report: ShareGptFileReport = { path, records: records.length, valid: 0, problems: [] };
  records.forEach((record, index) => {
    const problems = shareGptProblems(record);
    if (problems.length === 0) report.valid++;
    for (const problem of problems) {
      if (report.problems.length < maxProblems) report.problems.push({ record: index + 1, problem });
    }
  });
  return report;
}

function readRecordsOf(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError("sharegpt_unreadable", `Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    if (text.trimStart().startsWith("[")) return JSON.parse(text) as unknown[];
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as unknown);
  } catch (error) {
    throw new InputError(
      "sharegpt_invalid",
      `${path} is neither a JSON array nor JSON Lines: ${(error as Error).message}`,
    );
  }
}

function parsesAsCall(content: string): boolean {
  const block = /<tool_call>(.*?)<\/tool_call>/s.exec(content);
  const json = block ? block[1] : content.replace(/<think>.*?<\/think>/s, "");
  try {
    const value: unknown = JSON.parse(json ?? "");
    const calls = Array.isArray(value) ? value : [value];
    return calls.every(
      (call) => call !== null && typeof call === "object" && "name" in call && "arguments" in call,
    );
  } catch {
    return false;
  }
}

function isJsonList(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return Array.isArray(JSON.parse(value));
  } catch {
    return false;
  }
}
