import { totalTokens } from "../model/types.js";
import type { AgentStatus } from "../trajectory/schema.js";
import { describeLimit, type LimitStatus, reachedLimit } from "./budget.js";
import { addMessage, type LoopContext, type LoopState, nextRequest } from "./loop-state.js";

/** Whether the next turn may run: `stop` with the status the run ends with, or go with the tokens the guard counted. */
export type Admission = { stop: AgentStatus } | { stop?: undefined; countedTokens: number | undefined };

/**
 * Decides whether the next turn may run. It may not after an abort or once the grace turn has been played. At a
 * budget limit, or when the context guard says the next request is the last that fits, the turn runs as the grace
 * turn: its notice is added to the conversation and `state.limit` is set. A request that would not fit the context
 * is never sent.
 */
export function admitNextTurn(loop: LoopContext, state: LoopState): Admission {
  if (loop.signal.aborted) return { stop: "aborted" };
  if (state.limit !== undefined) return { stop: state.limit }; // the grace turn has been played
  state.limit = reachedLimit(loop.budget, {
    steps: state.steps,
    totalTokens: totalTokens(state.usage),
    costUsd: state.usage.costUsd,
    elapsedMs: loop.clock.now() - loop.startedAt,
  });
  if (state.limit !== undefined) return openGraceTurn(loop, state, state.limit);
  const guard = loop.contextGuard;
  if (guard === undefined) return { countedTokens: undefined };
  const check = guard.check(nextRequest(loop, state));
  if (check.verdict === "too_long") {
    loop.logger.warn(
      { tokens: check.tokens, limit: guard.hardLimit },
      "the next request would not fit the context",
    );
    return { stop: "context_limit" };
  }
  if (check.verdict === "grace") {
    state.limit = "context_limit";
    return openGraceTurn(loop, state, state.limit);
  }
  return { countedTokens: check.tokens };
}

/** Adds the grace notice, then checks (without counting it as a step) that the request still fits the context. */
function openGraceTurn(loop: LoopContext, state: LoopState, limit: LimitStatus): Admission {
  const guard = loop.contextGuard;
  const notice = loop.graceNotice(describeLimit(limit, loop.budget, guard?.contextLength), limit);
  addMessage(loop, state, "grace", { role: "user", content: notice });
  loop.logger.info({ limit }, "limit reached, giving one grace turn");
  if (guard === undefined) return { countedTokens: undefined };
  const check = guard.check(nextRequest(loop, state), false);
  if (check.verdict === "too_long") {
    loop.logger.warn(
      { tokens: check.tokens, limit: guard.hardLimit },
      "the grace turn would not fit the context",
    );
    return { stop: limit };
  }
  return { countedTokens: check.tokens };
}
