import { SweReviewError } from "../../common/errors.js";

/** A setup command failed (or ran out of time): the instance cannot be run on this machine as it is. */
export class SetupError extends SweReviewError {
  constructor(
    readonly command: string,
    readonly log: string,
    reason: string,
  ) {
    const tail = log.trim().split("\n").slice(-5).join(" | ");
    super("setup_failed", `Setup command \`${command}\` ${reason}${tail ? `: ${tail}` : ""}`);
  }
}
