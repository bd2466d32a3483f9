import { SweReviewError } from "../../common/errors.js";

/**
 * A sandbox that ended under the agent (code it ran stopped or killed the supervisor): the run is an
 * infrastructure failure, retried as such, never a result from an agent that saw only errors.
 */
export function throwIfLost(lost: string | undefined): void {
  if (lost) {
    throw new SweReviewError(
      "sandbox_lost",
      `The sandbox stopped while the agent worked (${lost}); its result was not used.`,
    );
  }
}
