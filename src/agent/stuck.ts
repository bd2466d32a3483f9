import type { ToolCall } from "../model/types.js";

export type StuckVerdict = "ok" | "warn" | "stop";

/**
 * Notices an agent repeating itself: the same tool with the same arguments several times in a row.
 * At `warnAt` repeats the call still runs, with a warning added to what the model sees; at `stopAt` the run stops.
 */
export class StuckDetector {
  private lastKey: string | undefined;
  private count = 0;

  constructor(
    readonly warnAt = 3,
    readonly stopAt = 5,
  ) {}

  /** Registers a call and returns what to do about it; `repeats` is how many identical calls in a row so far. */
  observe(call: Pick<ToolCall, "name" | "arguments">): { verdict: StuckVerdict; repeats: number } {
    const key = `${call.name}\u0000${canonicalArguments(call.arguments)}`;
    this.count = key === this.lastKey ? this.count + 1 : 1;
    this.lastKey = key;
    const verdict = this.count >= this.stopAt ? "stop" : this.count >= this.warnAt ? "warn" : "ok";
    return { verdict, repeats: this.count };
  }
}

/** Arguments compared by meaning, not spelling: parsed JSON with sorted keys, or the raw text if it is not JSON. */
function canonicalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
