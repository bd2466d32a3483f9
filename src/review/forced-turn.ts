import type { Clock } from "../common/clock.js";
import { errorMessage } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { BadRequestError } from "../model/errors.js";
import type { AssistantTurn, Message, Model, RequestOptions, ToolSpec } from "../model/types.js";
import type { TrajectorySink } from "../trajectory/writer.js";
import { type ParsedReport, parseReviewReport, REVIEW_REPORT_JSON_SCHEMA } from "./report.js";

export interface ForcedTurnContext {
  model: Model;
  /** The conversation so far (every tool call answered). */
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  trajectory: TrajectorySink;
  /** The number this step gets in the trajectory. */
  step: number;
  clock: Clock;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface ForcedTurnResult {
  parsed: ParsedReport;
  turn?: AssistantTurn;
  /** Why the call itself failed, when it did. */
  error?: string;
}

export function reportRequest(reason: string): string {
  return (
    `Your review ended without a valid review report (${reason}). Reply now with the review report as a single JSON ` +
    "object and nothing else: no tool calls, no prose, no code fences. Use exactly the report schema of the task: " +
    '{"decision": {"recommendation": "approve" | "request_changes", "confidence": 0.0-1.0}, "summary": {"problem": ' +
    '"...", "solution": "...", "overall_assessment": "..."}, "defects": [{"severity": "high" | "medium" | "low", ' +
    '"category": "correctness" | "compatibility" | "security" | "performance" | "maintainability", "location": ' +
    '{"path": "...", "start_line": 1, "end_line": 1}, "description": "...", "suggestion": "..."}]}. Decide with ' +
    "what you have found so far."
  );
}

/**
 * One more model call that asks for the report alone: with structured output (`response_format`, or a forced
 * tool on Anthropic) and, if the server refuses that, once more as plain text, parsed and repaired. Recorded in the
 * trajectory as a notice and a step like any other.
 */
export async function forcedReportTurn(
  reason: string,
  context: ForcedTurnContext,
): Promise<ForcedTurnResult> {
  const notice: Message = { role: "user", content: reportRequest(reason) };
  context.trajectory.write({ type: "message", kind: "notice", message: notice });
  const messages = [...context.messages, notice];
  const structured: RequestOptions = {
    toolChoice: "none",
    responseFormat: { name: "review_report", schema: REVIEW_REPORT_JSON_SCHEMA },
  };
  const attempts: Array<RequestOptions | undefined> = [structured, undefined];
  let lastError = "";
  for (const options of attempts) {
    const started = context.clock.now();
    let turn: AssistantTurn;
    try {
      turn = await context.model.complete(
        { messages, tools: context.tools, ...(options ? { options } : {}) },
        context.signal,
      );
    } catch (error) {
      lastError = errorMessage(error);
      // A server without structured output refuses the request: ask again as plain text. Anything else is final.
      if (options && error instanceof BadRequestError) {
        (context.logger ?? silentLogger).info(
          { error: lastError },
          "structured output refused; asking as plain text",
        );
        continue;
      }
      return {
        parsed: { ok: false, reason: `the final report request failed: ${lastError}` },
        error: lastError,
      };
    }
    context.trajectory.write({
      type: "step",
      step: context.step,
      startedAt: new Date(started).toISOString(),
      request: { messageCount: messages.length, ...(options ? { options } : {}) },
      response: {
        content: turn.content,
        ...(turn.reasoning === undefined ? {} : { reasoning: turn.reasoning }),
        toolCalls: turn.toolCalls,
        finishReason: turn.finishReason,
      },
      observations: [],
      usage: turn.usage,
      timing: { modelMs: context.clock.now() - started, toolsMs: 0 },
    });
    return { parsed: reportFromTurn(turn), turn };
  }
  return { parsed: { ok: false, reason: `the final report request failed: ${lastError}` }, error: lastError };
}

/** The report in a turn's text, or in the arguments of a tool call the model made anyway. */
function reportFromTurn(turn: AssistantTurn): ParsedReport {
  const fromText = parseReviewReport(turn.content);
  if (fromText.ok) return fromText;
  for (const call of turn.toolCalls) {
    const fromCall = parseReviewReport(call.arguments);
    if (fromCall.ok) return fromCall;
    try {
      const args = JSON.parse(call.arguments) as Record<string, unknown>;
      for (const value of Object.values(args)) {
        const nested = typeof value === "string" ? parseReviewReport(value) : undefined;
        if (nested?.ok) return nested;
      }
    } catch {
      // not JSON: nothing more to read
    }
  }
  return { ok: false, reason: `the final report request got no valid report (${fromText.reason})` };
}
