import { addUsage, type Message, type ToolSpec, type Usage, ZERO_USAGE } from "../../model/types.js";
import type { ReviewOutcome } from "../../review/outcome.js";
import type { Recommendation } from "../../review/report.js";
import { trajectoryHeader } from "../../trajectory/header.js";
import type { AgentStatus, TrajectoryEvent } from "../../trajectory/schema.js";

export interface ImportedConversation {
  id: string;
  /** Where the data came from (`swe-review-traj`, `atif`), recorded in the header's meta. */
  importedFrom: string;
  model: string;
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  meta: Record<string, unknown>;
  status?: AgentStatus;
  decision: Recommendation | null;
  createdAt: string;
  /** Per-step details the source has (ATIF): start time, usage, observation errors. */
  stepDetails?: readonly { startedAt?: string; usage?: Usage; errorCallIds?: readonly string[] }[];
}

/**
 * A conversation from another format as our trajectory events, so imported data goes through the same filters,
 * exports and viewer as our own runs: one step per assistant message with the tool results that follow it as
 * observations. What the source does not record (timings, usage) is zero. Tool results that answer no call are
 * left out, and counted.
 */
export function eventsFromConversation(input: ImportedConversation): {
  events: TrajectoryEvent[];
  orphans: number;
} {
  const events: TrajectoryEvent[] = [
    trajectoryHeader({
      id: input.id,
      createdAt: input.createdAt,
      role: "reviewer",
      model: { provider: "imported", name: input.model, settings: {} },
      tools: input.tools,
      budget: {},
      meta: { ...input.meta, imported_from: input.importedFrom },
    }),
  ];
  let count = 0;
  let orphans = 0;
  let steps = 0;
  let total: Usage = ZERO_USAGE;
  let seenTask = false;
  let step: Extract<TrajectoryEvent, { type: "step" }> | undefined;
  for (const message of input.messages) {
    if (message.role === "tool") {
      if (!step) {
        orphans++;
        continue;
      }
      const error = input.stepDetails?.[steps - 1]?.errorCallIds?.includes(message.toolCallId) ?? false;
      step.observations.push({
        toolCallId: message.toolCallId,
        name: message.name,
        content: message.content,
        isError: error,
        durationMs: 0,
      });
      count++;
      continue;
    }
    step = undefined;
    if (message.role === "assistant") {
      const details = input.stepDetails?.[steps];
      const usage = details?.usage ?? ZERO_USAGE;
      steps++;
      step = {
        type: "step",
        step: steps,
        startedAt: details?.startedAt ?? input.createdAt,
        request: { messageCount: count },
        response: {
          content: message.content,
          ...(message.reasoning === undefined ? {} : { reasoning: message.reasoning }),
          toolCalls: message.toolCalls,
          finishReason: message.toolCalls.length > 0 ? "tool_calls" : "stop",
        },
        observations: [],
        usage,
        timing: { modelMs: 0, toolsMs: 0 },
      };
      total = addUsage(total, usage);
      events.push(step);
      count++;
      continue;
    }
    const kind = message.role === "system" ? "system" : seenTask ? "notice" : "task";
    if (message.role === "user") seenTask = true;
    events.push({ type: "message", kind, message });
    count++;
  }
  events.push({
    type: "final",
    status: input.status ?? "finished",
    steps,
    usage: total,
    durationMs: 0,
    endedAt: input.createdAt,
  });
  const outcome: ReviewOutcome = {
    decision: input.decision,
    report: null,
    source: null,
    reason: `imported from ${input.importedFrom}`,
  };
  events.push({ type: "result", result: outcome });
  return { events, orphans };
}
