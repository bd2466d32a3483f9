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
export type ScriptToolCall = z.input<typeof ScriptToolCallSchema>;

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
export type ScriptFault = z.input<typeof ScriptFaultSchema>;

export const ScriptEntrySchema = z.union([ScriptFaultSchema, ScriptTurnSchema]);
export type ScriptEntry = z.input<typeof ScriptEntrySchema>;

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
