/** Texts the loop adds to the conversation. The model sees them, so they are part of the trajectory. */

export function graceNotice(limitDescription: string): string {
  return (
    `You have reached ${limitDescription}. This is your final turn: do not explore any further. ` +
    "Deliver your result now (write any required output file) and call `finish`."
  );
}

export function repeatWarning(repeats: number, stopAt: number): string {
  return (
    `\n\n[Warning: this is the same call with the same arguments ${repeats} times in a row. ` +
    `Repeating it will not change the result; after ${stopAt} repeats the run is stopped. Try a different approach.]`
  );
}

export function stuckStopNotice(repeats: number): string {
  return `Not executed: the same call was made ${repeats} times in a row, so the run was stopped.`;
}

export const NOT_EXECUTED_AFTER_FINISH = "Not executed: the agent called `finish` earlier in the same turn.";

export function unknownToolError(name: string, available: readonly string[]): string {
  return `Tool '${name}' not found. Available: [${available.map((tool) => `'${tool}'`).join(", ")}]`;
}

export function invalidArgumentsError(raw: string, name: string, detail: string): string {
  return `Error validating args ${raw} for tool '${name}': ${detail}`;
}

export function toolFailureError(name: string, detail: string): string {
  return `Error executing tool '${name}': ${detail}`;
}

/** OpenHands' nudge after a reply with neither text nor a tool call. */
export const EMPTY_REPLY_NUDGE =
  "Your last response did not include a function call or a message. Please use a tool to proceed with the task.";

/** Consecutive empty replies after which the run ends as a model error. */
export const MAX_EMPTY_REPLIES = 3;
