import { type Clock, systemClock } from "../common/clock.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { type Message, type Model, type RequestOptions, totalTokens, type Usage } from "../model/types.js";
import { type Tool, toolSpec } from "../tools/tool.js";
import { trajectoryHeader } from "../trajectory/header.js";
import type { AgentStatus } from "../trajectory/schema.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import { admitNextTurn } from "./admit-turn.js";
import { type BudgetInput, BudgetSchema, type LimitStatus } from "./budget.js";
import { classifyTurn } from "./classify-turn.js";
import type { ContextGuard } from "./context-guard.js";
import { addMessage, type LoopContext, type LoopState, type RunError, startingState } from "./loop-state.js";
import { EMPTY_REPLY_NUDGE, graceNotice } from "./notices.js";
import { StuckDetector } from "./stuck.js";
import { takeTurn } from "./take-turn.js";

/**
 * One agent run's input. Only `model`, `tools`, `system` and `task` are required; without a budget the run has the
 * default step limit (100) and no other; without a trajectory nothing is recorded; the caller owns the trajectory
 * sink (it is not closed here).
 */
export interface RunAgentInput {
  model: Model;
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type; each validates its own arguments.
  tools: readonly Tool<any>[];
  /** The system prompt. */
  system: string;
  /** The first user message: the task. */
  task: string;
  budget?: BudgetInput;
  /** Receives every event as it happens; absent: nothing is recorded. */
  trajectory?: TrajectorySink;
  /** Time source for limits and timings; default the system clock. */
  clock?: Clock;
  /** Aborting ends the run with status `aborted` (an in-flight model call is cancelled). */
  signal?: AbortSignal;
  /** Default: silent. */
  logger?: Logger;
  /** Recorded in the trajectory header. */
  role?: string;
  /** The resolved configuration (secrets redacted), recorded in the trajectory header. */
  config?: unknown;
  /** Free-form facts recorded in the trajectory header (instance id, sample number, …). */
  meta?: Record<string, unknown>;
  /** Repeats of the same call before a warning is shown and before the run stops as `stuck`; default 3 and 5. */
  stuck?: { warnAt: number; stopAt: number };
  /** The message that opens the grace turn. */
  graceNotice?: (limitDescription: string, limit: LimitStatus) => string;
  /** Options sent with every model request (tool choice, max tokens, …). */
  requestOptions?: RequestOptions;
  /**
   * Counts every request before it is sent: near the end of the model's context the run gets its grace turn
   * (status `context_limit`), and a request that would not fit is never sent.
   */
  contextGuard?: ContextGuard;
  /** Called after every step (for progress displays). */
  onStep?: (progress: StepProgress) => void;
}

/** Where a run stands after a step, for progress displays. */
export interface StepProgress {
  /** Steps taken so far (1 after the first). */
  step: number;
  /** Usage of the whole run so far. */
  usage: Usage;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/**
 * How an agent run ended, and what it spent: returned by `runAgent` (it never throws for model or tool
 * failures).
 */
export interface AgentRun {
  /** How the run ended; see `AGENT_STATUSES`. */
  status: AgentStatus;
  /** Model turns taken. */
  steps: number;
  /** Tokens and cost of every model call of the run. */
  usage: Usage;
  durationMs: number;
  /** The whole conversation, as the model saw it. */
  messages: Message[];
  /** The `finish` tool's message, or the text of a final answer without tool calls. */
  finishMessage?: string;
  /** Why the run failed, when its status is `model_error` (a code and a message). */
  error?: RunError;
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
  const loop = loopContext(input);
  loop.trajectory.write(
    trajectoryHeader({
      createdAt: new Date(loop.startedAt),
      role: input.role,
      model: input.model.describe(),
      tools: loop.specs,
      budget: { ...loop.budget },
      config: input.config,
      meta: input.meta,
    }),
  );
  const state = startingState();
  addMessage(loop, state, "system", { role: "system", content: input.system });
  addMessage(loop, state, "task", { role: "user", content: input.task });

  while (state.status === undefined) {
    const admission = admitNextTurn(loop, state);
    if (!("countedTokens" in admission)) {
      state.status = admission.stop;
      break;
    }
    const taken = await takeTurn(loop, state, admission.countedTokens);
    if (!("turn" in taken)) {
      state.status = taken.stop; // the model call failed
      break;
    }
    input.onStep?.({ step: state.steps, usage: state.usage, elapsedMs: loop.clock.now() - loop.startedAt });
    if (classifyTurn(state, taken, loop.signal.aborted) === "nudge") {
      addMessage(loop, state, "notice", { role: "user", content: EMPTY_REPLY_NUDGE });
    }
  }
  return endRun(loop, state, state.status);
}

/** What stays fixed for the run, with the defaults for what the input leaves out. */
function loopContext(input: RunAgentInput): LoopContext {
  const clock = input.clock ?? systemClock;
  return {
    model: input.model,
    budget: BudgetSchema.parse(input.budget ?? {}),
    clock,
    logger: input.logger ?? silentLogger,
    trajectory: input.trajectory ?? NULL_SINK,
    signal: input.signal ?? new AbortController().signal,
    tools: new Map(input.tools.map((tool) => [tool.name, tool])),
    specs: input.tools.map(toolSpec),
    stuck: new StuckDetector(input.stuck?.warnAt, input.stuck?.stopAt),
    startedAt: clock.now(),
    contextGuard: input.contextGuard,
    requestOptions: input.requestOptions,
    graceNotice: input.graceNotice ?? graceNotice,
  };
}

/** Records the run's final event and returns its result. */
function endRun(loop: LoopContext, state: LoopState, status: AgentStatus): AgentRun {
  const { steps, usage, finishMessage, error, limit, messages } = state;
  const durationMs = loop.clock.now() - loop.startedAt;
  loop.trajectory.write({
    type: "final",
    status,
    steps,
    usage,
    durationMs,
    endedAt: new Date(loop.clock.now()).toISOString(),
    ...(finishMessage === undefined ? {} : { finishMessage }),
    ...(error ? { error } : {}),
  });
  loop.logger.debug({ status, steps, tokens: totalTokens(usage) }, "agent run ended");

  const run: AgentRun = { status, steps, usage, durationMs, messages };
  if (finishMessage !== undefined) run.finishMessage = finishMessage;
  if (error) run.error = error;
  if (limit !== undefined) run.limit = limit;
  return run;
}
