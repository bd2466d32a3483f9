import { type ReviewOutcome, ReviewOutcomeSchema } from "../../review/outcome.js";
import { findTrajectories } from "../../training-data/dataset/discover.js";
import { readInstanceRecord } from "../../training-data/dataset/instance-files.js";
import { sampleFromEvents } from "../../training-data/dataset/sample.js";
import { readTrajectory } from "../../trajectory/reader.js";
import type { FinalEvent, HeaderEvent, StepEvent, TrajectoryEvent } from "../../trajectory/schema.js";

/** What the viewer shows of one trajectory. */
export interface TrajectoryView {
  key: string;
  path: string;
  title: string;
  header?: HeaderEvent;
  /** System, task, grace and notice messages, with the step they came before. */
  messages: { kind: string; role: string; content: string; beforeStep: number }[];
  steps: StepEvent[];
  final?: FinalEvent;
  outcome?: ReviewOutcome;
  /** A result that is not a review outcome (another role's), shown as JSON. */
  otherResult?: unknown;
  decision: string;
  resolved?: boolean;
  /** "correct" | "incorrect" | "unlabeled" | "no decision" */
  correctness: string;
  status: string;
  truncated: boolean;
}

/** Every trajectory under a path (a file, a run directory), read for the viewer. */
export function loadViews(path: string): TrajectoryView[] {
  return findTrajectories(path).map((location, index) => {
    const { events, truncated } = readTrajectory(location.path);
    const sample = sampleFromEvents(events, location.path);
    const record = location.instanceDir ? readInstanceRecord(location.instanceDir) : {};
    const decision = sample.decision ?? record.decision ?? null;
    const resolved = record.resolved ?? sample.resolved;
    const result = events.findLast((event) => event.type === "result");
    const outcome = result ? ReviewOutcomeSchema.safeParse(result.result) : undefined;
    const view: TrajectoryView = {
      key: `t${index + 1}`,
      path: location.path,
      title: sample.instanceId ?? record.instanceId ?? location.path,
      messages: messagesOf(events),
      steps: events.filter((event): event is StepEvent => event.type === "step"),
      decision: decision ?? "none",
      correctness:
        decision === null
          ? "no decision"
          : resolved === undefined
            ? "unlabeled"
            : (decision === "approve") === resolved
              ? "correct"
              : "incorrect",
      status: sample.status ?? "unfinished",
      truncated,
    };
    const header = events.find((event): event is HeaderEvent => event.type === "header");
    if (header) view.header = header;
    const final = events.findLast((event): event is FinalEvent => event.type === "final");
    if (final) view.final = final;
    if (outcome?.success) view.outcome = outcome.data;
    else if (result) view.otherResult = result.result;
    if (resolved !== undefined) view.resolved = resolved;
    return view;
  });
}

function messagesOf(events: readonly TrajectoryEvent[]): TrajectoryView["messages"] {
  const messages: TrajectoryView["messages"] = [];
  let steps = 0;
  for (const event of events) {
    if (event.type === "step") steps++;
    if (event.type === "message") {
      messages.push({
        kind: event.kind,
        role: event.message.role,
        content: event.message.content,
        beforeStep: steps + 1,
      });
    }
  }
  return messages;
}
