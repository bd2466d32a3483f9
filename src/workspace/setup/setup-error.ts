import { SweReviewError } from "../../common/errors.js";

/** A setup command failed (or ran out of time): the instance cannot be run on this machine as it is. */
export class SetupError extends SweReviewError {
  constructor(
    readonly command: string,
    readonly log: string,
    reason: string,
  ) {
    const tail = printable(log).trim().split("\n").slice(-5).join(" | ");
    super("setup_failed", `Setup command \`${command}\` ${reason}${tail ? `: ${tail}` : ""}`);
  }
}

/**
 * The output without control characters but newlines and tabs: it is the repository's own commands', and it ends up
 * on the user's terminal, where an escape sequence could retitle the window, hide text or set the clipboard.
 */
function printable(text: string): string {
  return [...text]
    .filter((char) => {
      const code = char.charCodeAt(0);
      return char === "\n" || char === "\t" || !(code < 0x20 || (code >= 0x7f && code < 0xa0));
    })
    .join("");
}
