import { parsePythonJson, pythonJsonDumps } from "../../common/python-json.js";
import type { HeaderEvent, TrajectoryEvent } from "../schema.js";
import { ATIF_VERSION } from "./atif-schema.js";
import { toOpenAiTools } from "./openai-chat.js";

/**
 * A trajectory as ATIF v1.6: a system or user step per message, an agent step per model turn (text, reasoning,
 * calls with their arguments as objects, the observations of those calls, token counts and cost), final metrics,
 * and the agent's end status and the role's outcome in `extra`. Argument text that is not exactly the Python-style
 * JSON of its object (or not an object at all) is kept in the step's `extra.arguments_text`, so importing gives
 * the same calls back.
 */
export function toAtif(events: readonly TrajectoryEvent[]): Record<string, unknown> {
  const header = events.find((event): event is HeaderEvent => event.type === "header");
  const steps: Record<string, unknown>[] = [];
  const extra: Record<string, unknown> = {};
  let totals = { prompt: 0, completion: 0, cached: 0, cost: 0, steps: 0 };
  for (const event of events) {
    if (event.type === "message") {
      steps.push({
        step_id: steps.length + 1,
        source: event.message.role,
        message: event.message.content,
        ...(event.kind === "system" || event.kind === "task" ? {} : { extra: { kind: event.kind } }),
      });
    } else if (event.type === "step") {
      const argumentsText: Record<string, string> = {};
      const toolCalls = event.response.toolCalls.map((call) => {
        const parsed = objectOf(call.arguments);
        if (!parsed || pythonJsonDumps(parsed.python) !== call.arguments)
          argumentsText[call.id] = call.arguments;
        return { tool_call_id: call.id, function_name: call.name, arguments: parsed?.plain ?? {} };
      });
      const errors = event.observations.filter((observation) => observation.isError).map((o) => o.toolCallId);
      const stepExtra: Record<string, unknown> = { finish_reason: event.response.finishReason };
      if (Object.keys(argumentsText).length > 0) stepExtra.arguments_text = argumentsText;
      if (errors.length > 0) stepExtra.error_call_ids = errors;
      if (event.grace) stepExtra.grace = true;
      steps.push({
        step_id: steps.length + 1,
        timestamp: event.startedAt,
        source: "agent",
        model_name: header?.model.name,
        message: event.response.content,
        ...(event.response.reasoning === undefined ? {} : { reasoning_content: event.response.reasoning }),
        ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
        ...(event.observations.length === 0
          ? {}
          : {
              observation: {
                results: event.observations.map((observation) => ({
                  source_call_id: observation.toolCallId,
                  content: observation.content,
                })),
              },
            }),
        metrics: {
          prompt_tokens: event.usage.promptTokens,
          completion_tokens: event.usage.completionTokens,
          cached_tokens: event.usage.cachedTokens,
          cost_usd: event.usage.costUsd,
        },
        extra: stepExtra,
      });
      totals = {
        prompt: totals.prompt + event.usage.promptTokens,
        completion: totals.completion + event.usage.completionTokens,
        cached: totals.cached + event.usage.cachedTokens,
        cost: totals.cost + event.usage.costUsd,
        steps: totals.steps + 1,
      };
    } else if (event.type === "final") {
      extra.status = event.status;
      if (event.finishMessage !== undefined) extra.finish_message = event.finishMessage;
    } else if (event.type === "result") {
      extra.result = event.result;
    }
  }
  return {
    schema_version: ATIF_VERSION,
    session_id: header?.id ?? "",
    agent: {
      name: "swe-review",
      version: header?.versions.sweReview ?? "unknown",
      model_name: header?.model.name,
      tool_definitions: toOpenAiTools(header?.tools ?? []),
      extra: {
        provider: header?.model.provider,
        ...(header?.role ? { role: header.role } : {}),
        meta: header?.meta ?? {},
      },
    },
    steps,
    final_metrics: {
      total_prompt_tokens: totals.prompt,
      total_completion_tokens: totals.completion,
      total_cached_tokens: totals.cached,
      total_cost_usd: totals.cost,
      total_steps: totals.steps,
    },
    extra,
  };
}

/** The arguments as a plain object (for the file) and as Python reads them (to compare texts). */
function objectOf(text: string): { plain: Record<string, unknown>; python: unknown } | undefined {
  try {
    const plain: unknown = JSON.parse(text);
    return plain !== null && typeof plain === "object" && !Array.isArray(plain)
      ? { plain: plain as Record<string, unknown>, python: parsePythonJson(text) }
      : undefined;
  } catch {
    return undefined;
  }
}
