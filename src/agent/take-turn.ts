import { errorMessage, SweReviewError } from "../common/errors.js";
import { AbortedError } from "../model/errors.js";
import { type AssistantTurn, addUsage, type ModelRequest } from "../model/types.js";
import { stepMessages } from "../trajectory/rebuild.js";
import type { AgentStatus, StepEvent } from "../trajectory/schema.js";
import { type LoopContext, type LoopState, nextRequest } from "./loop-state.js";
import { runTurnCalls, type TurnCallsOutcome } from "./turn-calls.js";

/** A turn that was played: the model's answer and what its tool calls did. */
export interface TakenTurn {
  turn: AssistantTurn;
  calls: TurnCallsOutcome;
}

/**
 * One turn: sends the conversation, runs the answer's tool calls in order and records the step, whose answer and
 * observations then join the conversation. When the model call fails: `stop` with the status the run ends with
 * (its error is set on the state).
 */
export async function takeTurn(
  loop: LoopContext,
  state: LoopState,
  countedTokens: number | undefined,
): Promise<TakenTurn | { stop: AgentStatus }> {
  const stepStarted = loop.clock.now();
  const request = nextRequest(loop, state);
  const answer = await askModel(loop, state, request);
  if (!("turn" in answer)) return answer;
  const { turn } = answer;
  loop.contextGuard?.observe(request, turn.usage.promptTokens);
  const modelMs = loop.clock.now() - stepStarted;
  state.steps++;
  state.usage = addUsage(state.usage, turn.usage);

  const toolsStarted = loop.clock.now();
  const { tools, stuck, signal, clock, logger } = loop;
  const calls = await runTurnCalls(turn.toolCalls, {
    tools,
    stuck,
    step: state.steps,
    signal,
    clock,
    logger,
  });
  if (calls.finishMessage !== undefined) state.finishMessage = calls.finishMessage;
  const step = stepEvent(loop, state, {
    stepStarted,
    messageCount: request.messages.length,
    countedTokens,
    turn,
    calls,
    timing: { modelMs, toolsMs: loop.clock.now() - toolsStarted },
  });
  loop.trajectory.write(step);
  state.messages.push(...stepMessages(step));
  return { turn, calls };
}

/** The model's answer; when the call fails, the run is aborted or ends with a model error (set on the state). */
async function askModel(
  loop: LoopContext,
  state: LoopState,
  request: ModelRequest,
): Promise<{ turn: AssistantTurn } | { stop: AgentStatus }> {
  try {
    return { turn: await loop.model.complete(request, loop.signal) };
  } catch (caught) {
    if (caught instanceof AbortedError || loop.signal.aborted) return { stop: "aborted" };
    state.error = {
      code: caught instanceof SweReviewError ? caught.code : "model_failure",
      message: errorMessage(caught),
    };
    loop.logger.error({ code: state.error.code }, `model call failed: ${state.error.message}`);
    return { stop: "model_error" };
  }
}

/** The trajectory's record of one step: the request's size, the answer, every observation, usage and timings. */
function stepEvent(
  loop: LoopContext,
  state: LoopState,
  step: {
    stepStarted: number;
    messageCount: number;
    countedTokens: number | undefined;
    turn: AssistantTurn;
    calls: TurnCallsOutcome;
    timing: StepEvent["timing"];
  },
): StepEvent {
  const { turn } = step;
  return {
    type: "step",
    step: state.steps,
    startedAt: new Date(step.stepStarted).toISOString(),
    ...(state.limit !== undefined ? { grace: true } : {}),
    request: {
      messageCount: step.messageCount,
      ...(loop.requestOptions ? { options: loop.requestOptions } : {}),
      ...(step.countedTokens === undefined ? {} : { countedTokens: step.countedTokens }),
    },
    response: {
      content: turn.content,
      ...(turn.reasoning === undefined ? {} : { reasoning: turn.reasoning }),
      ...(turn.thinkingBlocks === undefined ? {} : { thinkingBlocks: turn.thinkingBlocks }),
      toolCalls: turn.toolCalls,
      ...(turn.toolCallSource === undefined ? {} : { toolCallSource: turn.toolCallSource }),
      finishReason: turn.finishReason,
    },
    observations: step.calls.observations,
    usage: turn.usage,
    timing: step.timing,
  };
}
