import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../common/clock.js";
import { errorMessage, SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { AbortedError } from "../model/errors.js";
import {
  type AssistantTurn,
  addUsage,
  type Message,
  type Model,
  type ModelRequest,
  type RequestOptions,
  totalTokens,
  type Usage,
  ZERO_USAGE,
} from "../model/types.js";
import { type Tool, toolSpec } from "../tools/tool.js";
import {
  type AgentStatus,
  type MessageEvent,
  TRAJECTORY_FORMAT,
  TRAJECTORY_VERSION,
} from "../trajectory/schema.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import { VERSION } from "../version.js";
import { type BudgetInput, BudgetSchema, describeLimit, type LimitStatus, reachedLimit } from "./budget.js";
import type { ContextGuard } from "./context-guard.js";
import { EMPTY_REPLY_NUDGE, graceNotice, MAX_EMPTY_REPLIES } from "./notices.js";
import { StuckDetector } from "./stuck.js";
import { runTurnCalls } from "./turn-calls.js";

export interface RunAgentInput {
  model: Model;
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type; each validates its own arguments.
  tools: readonly Tool<any>[];
  /** The system prompt. */
  system: string;
  /** The first user message: the task. */
  task: string;
  budget?: BudgetInput;
  trajectory?: TrajectorySink;
  clock?: Clock;
  signal?: AbortSignal;
  logger?: Logger;
  /** Recorded in the trajectory header. */
  role?: string;
  config?: unknown;
  meta?: Record<string, unknown>;
  stuck?: { warnAt: number; stopAt: number };
  /** The message that opens the grace turn. */
  graceNotice?: (limitDescription: string, limit: LimitStatus) => string;
  requestOptions?: RequestOptions;
  /**
   * Counts every request before it is sent: near the end of the model's context the run gets its grace turn
   * (status `context_limit`), and a request that would not fit is never sent.
   */
  contextGuard?: ContextGuard;
  /** Called after every step (for progress displays). */
  onStep?: (progress: StepProgress) => void;
}

export interface StepProgress {
  step: number;
  usage: Usage;
  elapsedMs: number;
}

export interface AgentRun {
  status: AgentStatus;
  steps: number;
  usage: Usage;
  durationMs: number;
  /** The whole conversation, as the model saw it. */
  messages: Message[];
  /** The `finish` tool's message, or the text of a final answer without tool calls. */
  finishMessage?: string;
  error?: { code: string; message: string };
  /** The limit that was reached, when a grace turn was given. */
  limit?: LimitStatus;
}

const NULL_SINK: TrajectorySink = { write: () => {} };

/**
 * The agent loop. Sends the conversation, runs the tool calls in order, appends observations, and repeats until
 * the agent finishes or something stops it: a budget limit (after exactly one grace turn), a stuck loop, a model
 * error, or an abort. Every event is recorded to the trajectory as it happens. Never throws for model or tool
 * failures: they end the run with a status.
 */
export async function runAgent(input: RunAgentInput): Promise<AgentRun> {
  const budget = BudgetSchema.parse(input.budget ?? {});
  const clock = input.clock ?? systemClock;
  const logger = input.logger ?? silentLogger;
  const trajectory = input.trajectory ?? NULL_SINK;
  const signal = input.signal ?? new AbortController().signal;
  const tools = new Map(input.tools.map((tool) => [tool.name, tool]));
  const specs = input.tools.map(toolSpec);
  const stuck = new StuckDetector(input.stuck?.warnAt, input.stuck?.stopAt);
  const startedAt = clock.now();

  trajectory.write({
    type: "header",
    format: TRAJECTORY_FORMAT,
    version: TRAJECTORY_VERSION,
    id: randomUUID(),
    createdAt: new Date(startedAt).toISOString(),
    ...(input.role ? { role: input.role } : {}),
    versions: { sweReview: VERSION, node: process.version },
    model: input.model.describe(),
    tools: specs,
    budget: { ...budget },
    ...(input.config === undefined ? {} : { config: input.config }),
    ...(input.meta ? { meta: input.meta } : {}),
  });

  const messages: Message[] = [];
  const addMessage = (kind: MessageEvent["kind"], message: MessageEvent["message"]) => {
    messages.push(message);
    trajectory.write({ type: "message", kind, message });
  };
  addMessage("system", { role: "system", content: input.system });
  addMessage("task", { role: "user", content: input.task });

  let steps = 0;
  let usage: Usage = ZERO_USAGE;
  let status: AgentStatus | undefined;
  let limit: LimitStatus | undefined;
  let finishMessage: string | undefined;
  let error: AgentRun["error"];
  let emptyReplies = 0;

  while (status === undefined) {
    if (signal.aborted) {
      status = "aborted";
      break;
    }
    if (limit !== undefined) {
      status = limit; // the grace turn has been played
      break;
    }
    limit = reachedLimit(budget, {
      steps,
      totalTokens: totalTokens(usage),
      costUsd: usage.costUsd,
      elapsedMs: clock.now() - startedAt,
    });
    const guard = input.contextGuard;
    const nextRequest = (): ModelRequest => ({
      messages: [...messages],
      tools: specs,
      ...(input.requestOptions ? { options: input.requestOptions } : {}),
    });
    let counted: number | undefined;
    if (limit === undefined && guard) {
      const check = guard.check(nextRequest());
      counted = check.tokens;
      if (check.verdict === "too_long") {
        status = "context_limit";
        logger.warn(
          { tokens: check.tokens, limit: guard.hardLimit },
          "the next request would not fit the context",
        );
        break;
      }
      if (check.verdict === "grace") limit = "context_limit";
    }
    if (limit !== undefined) {
      const notice = (input.graceNotice ?? graceNotice)(
        describeLimit(limit, budget, guard?.contextLength),
        limit,
      );
      addMessage("grace", { role: "user", content: notice });
      logger.info({ limit }, "limit reached, giving one grace turn");
      if (guard) {
        const check = guard.check(nextRequest(), false);
        counted = check.tokens;
        if (check.verdict === "too_long") {
          status = limit;
          logger.warn(
            { tokens: check.tokens, limit: guard.hardLimit },
            "the grace turn would not fit the context",
          );
          break;
        }
      }
    }

    const stepStarted = clock.now();
    const messageCount = messages.length;
    const request = nextRequest();
    let turn: AssistantTurn;
    try {
      turn = await input.model.complete(request, signal);
    } catch (caught) {
      if (caught instanceof AbortedError || signal.aborted) {
        status = "aborted";
      } else {
        status = "model_error";
        error = {
          code: caught instanceof SweReviewError ? caught.code : "model_failure",
          message: errorMessage(caught),
        };
        logger.error({ code: error.code }, `model call failed: ${error.message}`);
      }
      break;
    }
    guard?.observe(request, turn.usage.promptTokens);
    const modelMs = clock.now() - stepStarted;
    steps++;
    usage = addUsage(usage, turn.usage);
    messages.push({
      role: "assistant",
      content: turn.content,
      toolCalls: turn.toolCalls,
      ...(turn.reasoning === undefined ? {} : { reasoning: turn.reasoning }),
      ...(turn.thinkingBlocks === undefined ? {} : { thinkingBlocks: turn.thinkingBlocks }),
    });

    const toolsStarted = clock.now();
    const calls = await runTurnCalls(turn.toolCalls, { tools, stuck, step: steps, signal, clock, logger });
    const { observations } = calls;
    if (calls.finishMessage !== undefined) finishMessage = calls.finishMessage;
    for (const observation of observations) {
      messages.push({
        role: "tool",
        toolCallId: observation.toolCallId,
        name: observation.name,
        content: observation.content,
      });
    }

    trajectory.write({
      type: "step",
      step: steps,
      startedAt: new Date(stepStarted).toISOString(),
      ...(limit !== undefined ? { grace: true } : {}),
      request: {
        messageCount,
        ...(input.requestOptions ? { options: input.requestOptions } : {}),
        ...(counted === undefined ? {} : { countedTokens: counted }),
      },
      response: {
        content: turn.content,
        ...(turn.reasoning === undefined ? {} : { reasoning: turn.reasoning }),
        ...(turn.thinkingBlocks === undefined ? {} : { thinkingBlocks: turn.thinkingBlocks }),
        toolCalls: turn.toolCalls,
        ...(turn.toolCallSource === undefined ? {} : { toolCallSource: turn.toolCallSource }),
        finishReason: turn.finishReason,
      },
      observations,
      usage: turn.usage,
      timing: { modelMs, toolsMs: clock.now() - toolsStarted },
    });
    input.onStep?.({ step: steps, usage, elapsedMs: clock.now() - startedAt });

    if (signal.aborted) status = "aborted";
    else if (calls.stuck) status = "stuck";
    else if (finishMessage !== undefined) status = limit ?? "finished";
    else if (turn.toolCalls.length === 0 && turn.content.trim() === "") {
      emptyReplies++;
      if (emptyReplies >= MAX_EMPTY_REPLIES) {
        status = "model_error";
        error = {
          code: "empty_replies",
          message: `The model answered with nothing ${emptyReplies} times in a row.`,
        };
      } else if (limit === undefined) {
        addMessage("notice", { role: "user", content: EMPTY_REPLY_NUDGE });
      }
    } else if (turn.toolCalls.length === 0) {
      finishMessage = turn.content;
      status = limit ?? "finished";
    }
    if (turn.toolCalls.length > 0 || turn.content.trim() !== "") emptyReplies = 0;
  }

  const durationMs = clock.now() - startedAt;
  trajectory.write({
    type: "final",
    status,
    steps,
    usage,
    durationMs,
    endedAt: new Date(clock.now()).toISOString(),
    ...(finishMessage === undefined ? {} : { finishMessage }),
    ...(error ? { error } : {}),
  });
  logger.debug({ status, steps, tokens: totalTokens(usage) }, "agent run ended");

  const run: AgentRun = { status, steps, usage, durationMs, messages };
  if (finishMessage !== undefined) run.finishMessage = finishMessage;
  if (error) run.error = error;
  if (limit !== undefined) run.limit = limit;
  return run;
}
