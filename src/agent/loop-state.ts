import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import {
  type Message,
  type Model,
  type ModelRequest,
  type RequestOptions,
  type ToolSpec,
  type Usage,
  ZERO_USAGE,
} from "../model/types.js";
import type { Tool } from "../tools/tool.js";
import type { AgentStatus, MessageEvent } from "../trajectory/schema.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import type { Budget, LimitStatus } from "./budget.js";
import type { ContextGuard } from "./context-guard.js";
import type { StuckDetector } from "./stuck.js";

/** What stays fixed for one run of the loop: its limits, its tools and where it records. */
export interface LoopContext {
  model: Model;
  budget: Budget;
  clock: Clock;
  logger: Logger;
  trajectory: TrajectorySink;
  signal: AbortSignal;
  tools: ReadonlyMap<string, Tool<unknown>>;
  /** The tools as sent with every request. */
  specs: ToolSpec[];
  stuck: StuckDetector;
  startedAt: number;
  contextGuard: ContextGuard | undefined;
  requestOptions: RequestOptions | undefined;
  graceNotice: (limitDescription: string, limit: LimitStatus) => string;
}

/** Why a run ended without an answer: the model's error code and message. */
export interface RunError {
  code: string;
  message: string;
}

/** What changes from turn to turn. The run ends when `status` is set. */
export interface LoopState {
  /** The whole conversation, as the model sees it. */
  readonly messages: Message[];
  steps: number;
  usage: Usage;
  status: AgentStatus | undefined;
  /** The limit reached; set from the grace turn on. */
  limit: LimitStatus | undefined;
  finishMessage: string | undefined;
  error: RunError | undefined;
  /** Replies in a row with neither text nor a tool call. */
  emptyReplies: number;
}

/** The state before the first turn: an empty conversation, nothing spent. */
export function startingState(): LoopState {
  return {
    messages: [],
    steps: 0,
    usage: ZERO_USAGE,
    status: undefined,
    limit: undefined,
    finishMessage: undefined,
    error: undefined,
    emptyReplies: 0,
  };
}

/** The request the conversation makes now. */
export function nextRequest(loop: LoopContext, state: LoopState): ModelRequest {
  return {
    messages: [...state.messages],
    tools: loop.specs,
    ...(loop.requestOptions ? { options: loop.requestOptions } : {}),
  };
}

/** Adds a system or user message to the conversation and records it. */
export function addMessage(
  loop: LoopContext,
  state: LoopState,
  kind: MessageEvent["kind"],
  message: MessageEvent["message"],
): void {
  state.messages.push(message);
  loop.trajectory.write({ type: "message", kind, message });
}
