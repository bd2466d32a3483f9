import type { Logger } from "../common/logger.js";
import type { ReviewEnvironment } from "../review/run-review.js";
import type { InFlight } from "./in-flight.js";

/** The review environment for one tool call, and its step limit (for progress). */
export interface CallEnvironment {
  environment: Omit<ReviewEnvironment, "outDir">;
  maxSteps: number;
}

/**
 * What the MCP server needs from its host (the CLI builds it from the configuration): a review environment per
 * call, where review files go, and a signal that stops every review in flight when the server shuts down.
 */
export interface McpServices {
  /** The environment of one review: the configured reviewer, or the model the caller names; its step limit. */
  environment(options: { model?: string; maxSteps?: number }): CallEnvironment;
  /** Each review gets its own folder here (report.json, trajectory.jsonl). */
  runsDir: string;
  /** Relative repository paths in tool arguments are resolved against this folder. */
  cwd: string;
  logger: Logger;
  shutdown: AbortSignal;
  /** Every review is tracked here, so that a shutdown can wait for their cleanup. */
  inFlight: InFlight;
}
