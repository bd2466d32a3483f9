import { z } from "zod";
import {
  FinishReasonSchema,
  ModelDescriptorSchema,
  RequestOptionsSchema,
  SystemMessageSchema,
  ThinkingBlockSchema,
  ToolCallSchema,
  ToolSpecSchema,
  UsageSchema,
  UserMessageSchema,
} from "../model/types.js";

/**
 * The trajectory: an append-only JSONL record of one agent run, one event per line, flushed as it happens.
 * From it the exact message list of every model request can be rebuilt (see `rebuild.ts`).
 */
export const TRAJECTORY_FORMAT = "swe-review-trajectory";
/** The trajectory format version this release writes, in the header's `version`. */
export const TRAJECTORY_VERSION = 1;

/**
 * How an agent run ended: `finished` (it called `finish` or answered without tool calls); a limit reached
 * (`max_steps`, `max_tokens`, `timeout`, `cost_limit`, `context_limit`; the grace turn ends with that status);
 * `stuck` (it repeated the same calls); `model_error` (the model failed or kept answering nothing); `aborted`
 * (the caller's signal).
 */
export const AGENT_STATUSES = [
  "finished",
  "max_steps",
  "max_tokens",
  "timeout",
  "cost_limit",
  "context_limit",
  "stuck",
  "model_error",
  "aborted",
] as const;
export const AgentStatusSchema = z.enum(AGENT_STATUSES);
/** One of `AGENT_STATUSES`: how an agent run ended. */
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const HeaderEventSchema = z.object({
  type: z.literal("header"),
  format: z.literal(TRAJECTORY_FORMAT),
  version: z.number().int(),
  id: z.string(),
  createdAt: z.string(),
  role: z.string().optional(),
  versions: z.object({ sweReview: z.string(), node: z.string() }),
  model: ModelDescriptorSchema,
  /** Tool schemas exactly as sent with every request. */
  tools: z.array(ToolSpecSchema),
  budget: z.record(z.string(), z.unknown()),
  /** The resolved configuration, secrets redacted. */
  config: z.unknown().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** A system or user message added to the conversation (the instruction, the task, a grace-turn notice). */
export const MessageEventSchema = z.object({
  type: z.literal("message"),
  kind: z.enum(["system", "task", "grace", "notice"]),
  message: z.discriminatedUnion("role", [SystemMessageSchema, UserMessageSchema]),
});

export const ObservationSchema = z.object({
  toolCallId: z.string(),
  name: z.string(),
  content: z.string(),
  isError: z.boolean(),
  durationMs: z.number().nonnegative(),
});
export type Observation = z.infer<typeof ObservationSchema>;

/** One model turn: the request's size, the assistant's answer, every observation, usage and timings. */
export const StepEventSchema = z.object({
  type: z.literal("step"),
  step: z.number().int().positive(),
  startedAt: z.string(),
  /** This step is the grace turn given after a limit was reached. */
  grace: z.boolean().optional(),
  request: z.object({
    /** Number of conversation messages the request carried (a consistency check for rebuilding). */
    messageCount: z.number().int().nonnegative(),
    options: RequestOptionsSchema.optional(),
    /** Prompt tokens the context guard counted before sending. */
    countedTokens: z.number().int().nonnegative().optional(),
  }),
  response: z.object({
    content: z.string(),
    reasoning: z.string().optional(),
    /** Anthropic thinking blocks with their signatures (sent back verbatim on later requests). */
    thinkingBlocks: z.array(ThinkingBlockSchema).optional(),
    toolCalls: z.array(ToolCallSchema),
    /** The calls were read from `<tool_call>` text in the content rather than parsed by the server. */
    toolCallSource: z.enum(["native", "text"]).optional(),
    finishReason: FinishReasonSchema,
  }),
  observations: z.array(ObservationSchema),
  usage: UsageSchema,
  timing: z.object({ modelMs: z.number().nonnegative(), toolsMs: z.number().nonnegative() }),
});
export type StepEvent = z.infer<typeof StepEventSchema>;

export const ErrorInfoSchema = z.object({ code: z.string(), message: z.string() });

export const FinalEventSchema = z.object({
  type: z.literal("final"),
  status: AgentStatusSchema,
  steps: z.number().int().nonnegative(),
  usage: UsageSchema,
  durationMs: z.number().nonnegative(),
  endedAt: z.string(),
  finishMessage: z.string().optional(),
  error: ErrorInfoSchema.optional(),
});

/**
 * A role's outcome, written after the agent's final record (e.g. the review report, or why there is none). A
 * generator has none (its outcome is the diff in its workspace): its line is `{"type":"result"}`.
 */
export const ResultEventSchema = z.object({
  type: z.literal("result"),
  result: z.unknown().optional(),
});

/** Validates one line of a trajectory: a header, message, step, final or result event (by `type`). */
export const TrajectoryEventSchema = z.discriminatedUnion("type", [
  HeaderEventSchema,
  MessageEventSchema,
  StepEventSchema,
  FinalEventSchema,
  ResultEventSchema,
]);
export type HeaderEvent = z.infer<typeof HeaderEventSchema>;
export type MessageEvent = z.infer<typeof MessageEventSchema>;
export type FinalEvent = z.infer<typeof FinalEventSchema>;
export type ResultEvent = z.infer<typeof ResultEventSchema>;
/**
 * One line of a trajectory file: the header first, then messages and steps as they happen, the final record, and the
 * role's result; see `TrajectoryEventSchema`.
 */
export type TrajectoryEvent = z.infer<typeof TrajectoryEventSchema>;
