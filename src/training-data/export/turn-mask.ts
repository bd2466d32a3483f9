import { InputError } from "../../common/errors.js";
import { ERROR_HEADER } from "../../tools/openhands/observation.js";

/**
 * Which tool results count as failures, so that the assistant turn that caused them is not trained on (a turn
 * mask). The default is our toolset's own error marker: the header OpenHands-compatible tools put on an error
 * observation (a bad argument, an unknown tool, a missing file). A command that exits non-zero is not an error
 * there (a reviewer's failing reproducer is the point), so exit codes are not masked unless asked for.
 */
export const DEFAULT_MASK_PATTERNS: readonly string[] = [escapeRegExp(ERROR_HEADER)];

/**
 * The released SWE-Review exporter's intent (reference §10.3), in the wording of both OpenHands generations:
 * legacy `ERROR:` lines and exit-code notices, and SDK 1.x `[Command finished with exit code N]`.
 */
export const PAPER_MASK_PATTERNS: readonly string[] = [
  ...DEFAULT_MASK_PATTERNS,
  "<tool_response>\\s*ERROR:",
  "\\[The command completed with exit code [1-9]\\d*\\.",
  "\\[Command finished with exit code [1-9]\\d*\\]",
];

export function compileMaskPatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern, "s");
    } catch (error) {
      throw new InputError(
        "mask_pattern_invalid",
        `--mask-pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`,
      );
    }
  });
}

/** A prompt-side turn reports a failed tool call. */
export function reportsFailure(content: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(content));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
