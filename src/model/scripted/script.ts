import { z } from "zod";
import { pythonJsonDumps } from "../../common/python-json.js";
import { FinishReasonSchema } from "../types.js";

/**
 * A scripted assistant turn: what a model should answer, written by a test or recovered from a trajectory.
 * Tool-call arguments are an object (serialised the way vLLM's hermes parser does, Python-style JSON) or the raw
 * argument text, kept verbatim.
 */
export const ScriptToolCallSchema = z.object({
  name: z.string(),
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
  id: z.string().optional(),
});
/**
 * One tool call in a scripted turn, as written (arguments default to `{}`; an id is made up when absent); see
 * `ScriptToolCallSchema`.
 */
export type ScriptToolCall = z.input<typeof ScriptToolCallSchema>;

/**
 * Validates a scripted assistant turn; unknown keys are rejected (a misspelt field fails loudly). Everything is
 * optional: absent content is empty, absent `finishReason` is `tool_calls` when there are calls and `stop` otherwise,
 * and absent usage counts are estimated at 4 characters a token (cached tokens 0).
 */
export const ScriptTurnSchema = z
  .object({
    content: z.string().optional(),
    reasoning: z.string().optional(),
    toolCalls: z.array(ScriptToolCallSchema).optional(),
    finishReason: FinishReasonSchema.optional(),
    usage: z
      .object({
        promptTokens: z.number().int().nonnegative().optional(),
        completionTokens: z.number().int().nonnegative().optional(),
        cachedTokens: z.number().int().nonnegative().optional(),
        /** Prompt tokens written to the cache (the Anthropic mock reports them). */
        cacheWriteTokens: z.number().int().nonnegative().optional(),
      })
      .optional(),
  })
  .strict();
/** A scripted assistant turn as written in a test or a script file; see `ScriptTurnSchema` for the defaults. */
export type ScriptTurn = z.input<typeof ScriptTurnSchema>;

/** Faults the mock server can play instead of a turn. */
export const ScriptFaultSchema = z.discriminatedUnion("fault", [
  z.object({
    fault: z.literal("http"),
    status: z.number().int().min(400).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  /** Wait `ms` before answering with `turn` (or a 500 when there is none): for timeouts and slow servers. */
  z.object({
    fault: z.literal("delay"),
    ms: z.number().int().nonnegative(),
    turn: ScriptTurnSchema.optional(),
  }),
  /** Send the headers and half of a valid body, then cut the connection. */
  z.object({ fault: z.literal("truncate") }),
  /** Cut the connection before answering. */
  z.object({ fault: z.literal("reset") }),
  /** Answer 200 with a body that is not a chat completion. */
  z.object({ fault: z.literal("malformed"), body: z.string().optional() }),
]);
/**
 * A fault the mock server plays instead of a turn: an HTTP error, a delay, a cut or truncated answer, a
 * malformed body.
 */
export type ScriptFault = z.input<typeof ScriptFaultSchema>;

/** Validates one entry of a script: a fault (it has a `fault` key) or a turn. */
export const ScriptEntrySchema = z.union([ScriptFaultSchema, ScriptTurnSchema]);
/** One entry of a script, played in order: a turn or a fault. */
export type ScriptEntry = z.input<typeof ScriptEntrySchema>;

/** Whether a script entry is a fault (it has a string `fault` key) rather than a turn. */
export function isFault(entry: ScriptEntry): entry is ScriptFault {
  return typeof (entry as { fault?: unknown }).fault === "string";
}

/** Argument text for a scripted call: raw strings verbatim, objects as Python-style JSON. */
export function scriptArgumentsText(args: ScriptToolCall["arguments"]): string {
  if (typeof args === "string") return args;
  return pythonJsonDumps(args ?? {});
}

/** A deterministic token estimate (4 characters a token) for scripted usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
