import type { AssistantTurn } from "../model/types.js";
import type { LoopState } from "./loop-state.js";
import { MAX_EMPTY_REPLIES } from "./notices.js";
import type { TurnCallsOutcome } from "./turn-calls.js";

/**
 * What a played turn means for the run. It ends the run (sets `state.status`) when the run was aborted, is stuck,
 * the agent called `finish`, or answered in text without tool calls (the text is the finish message); in a grace
 * turn the status is the limit. A reply with neither text nor calls ends the run after `MAX_EMPTY_REPLIES` in a
 * row; before that the answer is `nudge`: the model must be told to go on (outside a grace turn).
 */
export function classifyTurn(
  state: LoopState,
  { turn, calls }: { turn: AssistantTurn; calls: TurnCallsOutcome },
  aborted: boolean,
): "nudge" | "go_on" | "ended" {
  const empty = turn.toolCalls.length === 0 && turn.content.trim() === "";
  state.emptyReplies = empty ? state.emptyReplies + 1 : 0;
  if (aborted) state.status = "aborted";
  else if (calls.stuck) state.status = "stuck";
  else if (state.finishMessage !== undefined) state.status = state.limit ?? "finished";
  else if (empty && state.emptyReplies >= MAX_EMPTY_REPLIES) {
    state.status = "model_error";
    state.error = {
      code: "empty_replies",
      message: `The model answered with nothing ${state.emptyReplies} times in a row.`,
    };
  } else if (empty) return state.limit === undefined ? "nudge" : "go_on";
  else if (turn.toolCalls.length === 0) {
    state.finishMessage = turn.content;
    state.status = state.limit ?? "finished";
  }
  return state.status === undefined ? "go_on" : "ended";
}
