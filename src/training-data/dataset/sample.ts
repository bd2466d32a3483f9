import type { Message, ToolSpec } from "../../model/types.js";
import { ReviewOutcomeSchema } from "../../review/outcome.js";
import { normalizeRecommendation, type Recommendation } from "../../review/report.js";
import { rebuildConversation } from "../../trajectory/rebuild.js";
import type { AgentStatus, HeaderEvent, TrajectoryEvent } from "../../trajectory/schema.js";

/**
 * One trajectory as training data sees it: the whole conversation and tools, the agent's end status, the
 * reviewer's decision, and what the run directory or a labels file says about the reviewed candidate.
 */
export interface TrajSample {
  /** The trajectory's id (its header id). */
  id: string;
  /** Where it was read from, for messages. */
  where: string;
  instanceId?: string | undefined;
  candidateId?: string | undefined;
  model: string;
  messages: Message[];
  tools: ToolSpec[];
  status?: AgentStatus;
  /** The reviewer's verdict; null when it gave none. */
  decision: Recommendation | null;
  /** Ground truth: did the reviewed candidate resolve the issue? */
  resolved?: boolean;
  /** The reviewed candidate's patch, when the run directory keeps it. */
  patch?: string;
  /** The trajectory's events, for formats that keep per-step detail (ATIF). */
  events: readonly TrajectoryEvent[];
}

/** A sample from a trajectory's events; labels and patches are added by whoever knows them. */
export function sampleFromEvents(events: readonly TrajectoryEvent[], where: string): TrajSample {
  const header = events.find((event): event is HeaderEvent => event.type === "header");
  const final = events.findLast((event) => event.type === "final");
  const result = events.findLast((event) => event.type === "result");
  const meta = header?.meta ?? {};
  const sample: TrajSample = {
    id: header?.id ?? where,
    where,
    model: header?.model.name ?? "",
    messages: rebuildConversation(events),
    tools: header?.tools ?? [],
    decision: result ? decisionOf(result.result) : null,
    events,
  };
  const instanceId = stringField(meta, "instance_id", "instanceId");
  const candidateId = stringField(meta, "candidate_id", "candidateId");
  if (instanceId) sample.instanceId = instanceId;
  if (candidateId) sample.candidateId = candidateId;
  if (final) sample.status = final.status;
  return sample;
}

/** The decision in a `result` event: a ReviewOutcome, or anything with a recognisable `decision`. */
export function decisionOf(result: unknown): Recommendation | null {
  const outcome = ReviewOutcomeSchema.safeParse(result);
  if (outcome.success) return outcome.data.decision;
  if (result === null || typeof result !== "object") return null;
  const record = result as Record<string, unknown>;
  const decision = record.decision;
  const nested =
    decision !== null && typeof decision === "object" ? (decision as Record<string, unknown>) : {};
  return normalizeRecommendation(nested.recommendation ?? decision ?? record.recommendation) ?? null;
}

export function stringField(record: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}
