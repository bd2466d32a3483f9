import { readFileSync } from "node:fs";
import { InputError } from "../common/errors.js";
import { type TrajectoryEvent, TrajectoryEventSchema } from "./schema.js";

/** A trajectory as read: its events, validated, in file order. */
export interface ReadTrajectory {
  /** Every event; the first is the header. */
  events: TrajectoryEvent[];
  /** The last line was cut off (the process died while writing it) and was skipped. */
  truncated: boolean;
}

/** Reads and validates a trajectory file. A cut-off last line is tolerated; any other bad line is an error. */
export function readTrajectory(path: string): ReadTrajectory {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(
      "trajectory_unreadable",
      `Cannot read trajectory ${path}: ${(error as Error).message}`,
    );
  }
  return parseTrajectory(text, path);
}

/**
 * Parses and validates a trajectory's text (JSONL); `source` names it in errors. A cut-off last line is skipped
 * (`truncated`); any other line that is not a valid event, or a first event that is not a header, throws an
 * `InputError` (`trajectory_invalid`).
 */
export function parseTrajectory(text: string, source = "trajectory"): ReadTrajectory {
  const lines = text.split("\n");
  const endsClean = text.endsWith("\n") || text === "";
  const events: TrajectoryEvent[] = [];
  let truncated = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const isLast = index === lines.length - 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (isLast && !endsClean) {
        truncated = true;
        continue;
      }
      throw new InputError("trajectory_invalid", `${source}:${index + 1} is not valid JSON.`);
    }
    const parsed = TrajectoryEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        "trajectory_invalid",
        `${source}:${index + 1} is not a trajectory event (${issue?.path.join(".") || "root"}: ${issue?.message}).`,
      );
    }
    events.push(parsed.data);
  }
  if (events[0]?.type !== "header") {
    throw new InputError("trajectory_invalid", `${source} does not start with a header event.`);
  }
  return { events, truncated };
}
