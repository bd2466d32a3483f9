import { addUsage, type Usage, ZERO_USAGE } from "../model/types.js";
import type { TrajectoryEvent } from "./schema.js";
import type { TrajectorySink } from "./writer.js";

/** Passes events on, summing the usage and counting the steps of every model call written (forced turns too). */
export class UsageTally implements TrajectorySink {
  usage: Usage = ZERO_USAGE;
  steps = 0;

  constructor(private readonly inner: TrajectorySink) {}

  write(event: TrajectoryEvent): void {
    if (event.type === "step") {
      this.usage = addUsage(this.usage, event.usage);
      this.steps++;
    }
    this.inner.write(event);
  }
}
