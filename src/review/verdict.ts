import type { AgentRun } from "../agent/run-agent.js";
import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import { isUnreachable } from "../model/errors.js";
import type { Model, ToolSpec } from "../model/types.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import { verdictFromRun } from "./extract.js";
import { forcedReportTurn } from "./forced-turn.js";
import type { ReviewOutcome } from "./outcome.js";
import type { ReportAsLeft } from "./report-as-left.js";

/**
 * A verdict every time a model could give one: the run's own report if it has one, else one forced report turn.
 * Only when that fails too is there no decision (a model failure), with the reason. A server the run found
 * unreachable is not asked again.
 */
export async function decideVerdict(
  run: AgentRun,
  context: {
    reportFile: ReportAsLeft;
    model: Model;
    tools: readonly ToolSpec[];
    trajectory: TrajectorySink;
    clock: Clock;
    signal?: AbortSignal;
    logger?: Logger;
  },
): Promise<ReviewOutcome> {
  const found = verdictFromRun(run, context.reportFile);
  if (found.outcome) return found.outcome;
  if (run.status === "aborted" || context.signal?.aborted) {
    return {
      decision: null,
      report: null,
      source: null,
      reason: "the review was aborted",
      status: run.status,
    };
  }
  const reason = [
    run.error ? `the run ended with ${run.status}: ${run.error.message}` : `the run ended with ${run.status}`,
    ...found.reasons,
  ].join("; ");
  if (isUnreachable(run.error)) {
    return { decision: null, report: null, source: null, reason, status: run.status };
  }
  const forced = await forcedReportTurn(reason, {
    model: context.model,
    messages: run.messages,
    tools: context.tools,
    trajectory: context.trajectory,
    step: run.steps + 1,
    clock: context.clock,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.logger ? { logger: context.logger } : {}),
  });
  if (forced.parsed.ok) {
    return {
      decision: forced.parsed.report.decision.recommendation,
      report: forced.parsed.report,
      source: "forced_turn",
      reason,
      status: run.status,
    };
  }
  return {
    decision: null,
    report: null,
    source: null,
    reason: `${reason}; ${forced.parsed.reason}`,
    status: run.status,
  };
}
