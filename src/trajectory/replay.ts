import { readFileSync } from "node:fs";
import { InputError } from "../common/errors.js";
import { type ScriptEntry, ScriptEntrySchema, type ScriptTurn } from "../model/scripted/script.js";
import { parseTrajectory } from "./reader.js";
import type { TrajectoryEvent } from "./schema.js";

/** The assistant turns of a recorded run, as a script a scripted model or the mock server can play again. */
export function scriptFromTrajectory(events: readonly TrajectoryEvent[]): ScriptTurn[] {
  const turns: ScriptTurn[] = [];
  for (const event of events) {
    if (event.type !== "step") continue;
    const turn: ScriptTurn = {
      content: event.response.content,
      toolCalls: event.response.toolCalls.map((call) => ({
        id: call.id,
        name: call.name,
        arguments: call.arguments,
      })),
      finishReason: event.response.finishReason,
      usage: {
        promptTokens: event.usage.promptTokens,
        completionTokens: event.usage.completionTokens,
        cachedTokens: event.usage.cachedTokens,
      },
    };
    if (event.response.reasoning !== undefined) turn.reasoning = event.response.reasoning;
    turns.push(turn);
  }
  return turns;
}

/**
 * Reads a script file: a JSON array of entries, JSONL with one entry per line, or a trajectory (JSONL starting with
 * a header event), whose assistant turns become the script.
 */
export function loadScriptFile(path: string): ScriptEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError("script_unreadable", `Cannot read script ${path}: ${(error as Error).message}`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return validateEntries(parseJson(trimmed, path), path);
  const firstLine = trimmed.split("\n", 1)[0] ?? "";
  if (/"type"\s*:\s*"header"/.test(firstLine))
    return scriptFromTrajectory(parseTrajectory(text, path).events);
  return validateEntries(
    trimmed
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line, index) => parseJson(line, `${path}:${index + 1}`)),
    path,
  );
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError("script_invalid", `${source} is not valid JSON: ${(error as Error).message}`);
  }
}

function validateEntries(value: unknown, path: string): ScriptEntry[] {
  if (!Array.isArray(value))
    throw new InputError("script_invalid", `${path} must hold a list of script entries.`);
  return value.map((entry, index) => {
    const parsed = ScriptEntrySchema.safeParse(entry);
    if (!parsed.success) {
      throw new InputError(
        "script_invalid",
        `Entry ${index + 1} of ${path} is neither a turn ({content, reasoning, toolCalls}) nor a fault ({fault: "http" | "delay" | "truncate" | "reset" | "malformed"}).`,
      );
    }
    return entry as ScriptEntry;
  });
}
