import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import type { ToolCall } from "../model/types.js";
import type { Tool } from "../tools/tool.js";
import type { Observation } from "../trajectory/schema.js";
import { dispatchToolCall } from "./dispatch.js";
import { NOT_EXECUTED_AFTER_FINISH, repeatWarning, stuckStopNotice } from "./notices.js";
import type { StuckDetector } from "./stuck.js";

export interface TurnCallsOutcome {
  /** One observation per call, in call order (calls that were not run are answered too). */
  observations: Observation[];
  /** The `finish` tool's message, when a call finished the run. */
  finishMessage?: string;
  /** The same call was repeated until the stuck detector stopped the run. */
  stuck: boolean;
}

/**
 * Runs the tool calls of one assistant turn in order. Calls after `finish`, after the run is stuck, or after an
 * abort are not run but still answered, so the conversation stays valid for any later request.
 */
export async function runTurnCalls(
  calls: readonly ToolCall[],
  context: {
    tools: ReadonlyMap<string, Tool<unknown>>;
    stuck: StuckDetector;
    step: number;
    signal: AbortSignal;
    clock: Clock;
    logger: Logger;
  },
): Promise<TurnCallsOutcome> {
  const outcome: TurnCallsOutcome = { observations: [], stuck: false };
  for (const call of calls) {
    const skip = (content: string): Observation => ({
      toolCallId: call.id,
      name: call.name,
      content,
      isError: true,
      durationMs: 0,
    });
    if (outcome.finishMessage !== undefined) {
      outcome.observations.push(skip(NOT_EXECUTED_AFTER_FINISH));
      continue;
    }
    if (outcome.stuck || context.signal.aborted) {
      outcome.observations.push(skip(stuckStopNotice(context.stuck.stopAt)));
      continue;
    }
    const { verdict, repeats } = context.stuck.observe(call);
    if (verdict === "stop") {
      outcome.stuck = true;
      outcome.observations.push(skip(stuckStopNotice(repeats)));
      continue;
    }
    const result = await dispatchToolCall(call, context.tools, context);
    if (verdict === "warn") result.observation.content += repeatWarning(repeats, context.stuck.stopAt);
    outcome.observations.push(result.observation);
    if (result.finish !== undefined) outcome.finishMessage = result.finish;
  }
  return outcome;
}
