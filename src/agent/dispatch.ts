import type { z } from "zod";
import type { Clock } from "../common/clock.js";
import { errorMessage } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { ToolCall } from "../model/types.js";
import type { Tool } from "../tools/tool.js";
import type { Observation } from "../trajectory/schema.js";
import { invalidArgumentsError, toolFailureError, unknownToolError } from "./notices.js";

export interface CallOutcome {
  observation: Observation;
  /** Set when the tool ended the run (`finish`): the final message. */
  finish?: string;
}

/**
 * Runs one tool call: finds the tool, parses and validates the arguments, runs it. Every failure becomes an
 * observation the model can act on; nothing here throws.
 */
export async function dispatchToolCall(
  call: ToolCall,
  tools: ReadonlyMap<string, Tool<unknown>>,
  context: { step: number; signal: AbortSignal; clock: Clock; logger: Logger },
): Promise<CallOutcome> {
  const started = context.clock.now();
  const observe = (content: string, isError: boolean): Observation => ({
    toolCallId: call.id,
    name: call.name,
    content,
    isError,
    durationMs: Math.max(0, context.clock.now() - started),
  });

  const tool = tools.get(call.name);
  if (!tool) return { observation: observe(unknownToolError(call.name, [...tools.keys()]), true) };

  const parsed = parseArguments(call.arguments);
  if (!parsed.ok)
    return { observation: observe(invalidArgumentsError(call.arguments, call.name, parsed.error), true) };
  const validated = tool.schema.safeParse(parsed.value);
  if (!validated.success) {
    return {
      observation: observe(
        invalidArgumentsError(call.arguments, call.name, formatZodIssues(validated.error)),
        true,
      ),
    };
  }

  try {
    const result = await tool.run(validated.data, {
      signal: context.signal,
      callId: call.id,
      step: context.step,
      logger: context.logger,
    });
    const outcome: CallOutcome = { observation: observe(result.output, result.isError ?? false) };
    if (result.finish !== undefined) outcome.finish = result.finish;
    return outcome;
  } catch (error) {
    context.logger.debug({ tool: call.name, err: error }, "tool failed");
    return { observation: observe(toolFailureError(call.name, errorMessage(error)), true) };
  }
}

/**
 * The model's argument text as a JSON object. Empty text is `{}`; raw control characters inside strings (a
 * common model slip) are escaped and parsing retried.
 */
export function parseArguments(
  raw: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (raw.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (first) {
    try {
      value = JSON.parse(escapeControlCharacters(raw));
    } catch {
      return { ok: false, error: `the arguments are not valid JSON (${errorMessage(first)})` };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "the arguments must be a JSON object" };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function escapeControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching raw control characters is the point.
  return text.replace(/[\u0000-\u001f]/g, (char) => {
    switch (char) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === "unrecognized_keys")
        return `unexpected argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
      const path = issue.path.join(".") || "arguments";
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}
