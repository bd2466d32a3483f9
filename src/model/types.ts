import { z } from "zod";

/**
 * The conversation as the core sees it, independent of any provider's wire format. Providers translate these to
 * their own request bodies; trajectories record them so every request can be rebuilt.
 */

/** Validates a tool call; see `ToolCall`. */
export const ToolCallSchema = z.object({
  /** The provider's id for the call; the tool message answering it carries the same id. */
  id: z.string(),
  name: z.string(),
  /** The model's own argument text, verbatim (never re-serialised). */
  arguments: z.string(),
});
/** One tool call the model asked for: id, tool name and the argument text as the model wrote it. */
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * Anthropic's extended-thinking blocks, kept opaque: the API requires them back unchanged (with their signature)
 * on the assistant turn that produced them.
 */
export const ThinkingBlockSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal("redacted_thinking"), data: z.string() }),
]);
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;

export const SystemMessageSchema = z.object({ role: z.literal("system"), content: z.string() });
export const UserMessageSchema = z.object({ role: z.literal("user"), content: z.string() });
export const AssistantMessageSchema = z.object({
  role: z.literal("assistant"),
  content: z.string(),
  reasoning: z.string().optional(),
  thinkingBlocks: z.array(ThinkingBlockSchema).optional(),
  toolCalls: z.array(ToolCallSchema),
});
export const ToolMessageSchema = z.object({
  role: z.literal("tool"),
  toolCallId: z.string(),
  name: z.string(),
  content: z.string(),
});
export const MessageSchema = z.discriminatedUnion("role", [
  SystemMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
]);
export type SystemMessage = z.infer<typeof SystemMessageSchema>;
export type UserMessage = z.infer<typeof UserMessageSchema>;
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;
export type ToolMessage = z.infer<typeof ToolMessageSchema>;
/** One message of a conversation: system, user, assistant (text, reasoning and tool calls) or a tool's result. */
export type Message = z.infer<typeof MessageSchema>;

/** A tool as described to the model: name, description and the JSON schema of its arguments. */
export const ToolSpecSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});
/** A tool as described to the model; see `ToolSpecSchema`. */
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

/** Validates token usage and cost; see `Usage`. */
export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Prompt tokens served from the provider's cache (included in promptTokens). */
  cachedTokens: z.number().int().nonnegative(),
  /** Prompt tokens written to the provider's cache (Anthropic; included in promptTokens). */
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  /** Cost in US dollars from the model's configured pricing; 0 when no price is set. */
  costUsd: z.number().nonnegative(),
});
/** Tokens in and out of one model turn (or a sum of turns, see `addUsage`) and their cost in US dollars. */
export type Usage = z.infer<typeof UsageSchema>;

/** No tokens and no cost: the start of a sum with `addUsage`. Frozen. */
export const ZERO_USAGE: Usage = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  costUsd: 0,
});

/**
 * The sum of two usages, field by field; `cacheWriteTokens` is present when either has it. Inputs are not
 * changed.
 */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costUsd: a.costUsd + b.costUsd,
  };
  if (a.cacheWriteTokens !== undefined || b.cacheWriteTokens !== undefined) {
    sum.cacheWriteTokens = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  }
  return sum;
}

/** Prompt plus completion tokens (cached tokens are already part of the prompt count). */
export function totalTokens(usage: Usage): number {
  return usage.promptTokens + usage.completionTokens;
}

export const FINISH_REASONS = ["stop", "tool_calls", "length", "content_filter", "other"] as const;
export const FinishReasonSchema = z.enum(FINISH_REASONS);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/** One assistant turn out of the model. */
export const AssistantTurnSchema = z.object({
  content: z.string(),
  reasoning: z.string().optional(),
  thinkingBlocks: z.array(ThinkingBlockSchema).optional(),
  toolCalls: z.array(ToolCallSchema),
  /** Where the calls came from: the server's parser, or our reading of `<tool_call>` text in the content. */
  toolCallSource: z.enum(["native", "text"]).optional(),
  usage: UsageSchema,
  finishReason: FinishReasonSchema,
});
/**
 * One assistant turn out of the model: text, optional reasoning, tool calls, usage and why it stopped; see
 * `AssistantTurnSchema`.
 */
export type AssistantTurn = z.infer<typeof AssistantTurnSchema>;

export const ToolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ name: z.string() }),
]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** Per-request options; anything not set here comes from the model's own settings. */
export const RequestOptionsSchema = z.object({
  toolChoice: ToolChoiceSchema.optional(),
  /** Ask for a JSON answer matching this schema (structured output). */
  responseFormat: z.object({ name: z.string(), schema: z.record(z.string(), z.unknown()) }).optional(),
  /** The most completion tokens this turn may use; absent means the model's own setting. */
  maxTokens: z.number().int().positive().optional(),
});
/** Per-request options (tool choice, structured output, token cap); see `RequestOptionsSchema`. */
export type RequestOptions = z.infer<typeof RequestOptionsSchema>;

/** One chat turn in. */
export interface ModelRequest {
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  options?: RequestOptions;
}

/**
 * Identifies a model and every setting that shapes its requests, so a trajectory header can say exactly what was
 * sent. `settings` is provider-specific and secret-free.
 */
export const ModelDescriptorSchema = z.object({
  provider: z.string(),
  name: z.string(),
  baseUrl: z.string().optional(),
  settings: z.record(z.string(), z.unknown()),
});
/**
 * A model and every setting that shapes its requests, as a trajectory header records it; see
 * `ModelDescriptorSchema`.
 */
export type ModelDescriptor = z.infer<typeof ModelDescriptorSchema>;

/** A model an endpoint serves, as its model list reports it. */
export interface ServedModel {
  id: string;
  /** The context length the server reports (vLLM `max_model_len`, llama.cpp `n_ctx`), when it does. */
  contextLength?: number;
}

/** A model: one chat turn in, one assistant turn out. */
export interface Model {
  describe(): ModelDescriptor;
  complete(request: ModelRequest, signal?: AbortSignal): Promise<AssistantTurn>;
  /** The models the endpoint serves (used by `doctor`); absent for models without an endpoint. */
  listModels?(signal?: AbortSignal): Promise<ServedModel[]>;
}
