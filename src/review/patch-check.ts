import type { PatchCheckRunner } from "../agent-place/patch-check-runner.js";
import { InputError } from "../common/errors.js";
import type { ReviewOutcome } from "./outcome.js";

/** Patches larger than this get a warning (the published data drops them as mostly file deletions). */
export const LARGE_PATCH_BYTES = 50 * 1024;

/** A patch from a file or a diff: text, or bad input that names its source. */
export function readPatchText(bytes: Buffer, source: string): string {
  if (bytes.includes(0) || /^GIT binary patch$/m.test(bytes.toString("latin1"))) {
    throw new InputError(
      "patch_binary",
      `The patch ${source} contains binary data; swe-review reviews text patches only. Leave binary files out of the diff.`,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(
      "patch_not_utf8",
      `The patch ${source} is not valid UTF-8 text. Save it as UTF-8 and try again.`,
    );
  }
}

/**
 * Decides without a model when the patch settles the review: an empty patch, or one that does not apply to the
 * base commit, is `request_changes` with one high-severity defect saying so. Returns undefined when the review
 * should go ahead.
 */
export async function precheckPatch(
  patch: string,
  checkout: PatchCheckRunner,
): Promise<ReviewOutcome | undefined> {
  if (patch.trim() === "") {
    return precheckOutcome(
      "The patch is empty: it changes nothing, so it cannot resolve the issue.",
      "Write a patch that changes the code at the root cause of the issue.",
    );
  }
  const check = await applies(patch, checkout);
  if (!check.ok) {
    return precheckOutcome(
      `The patch does not apply to the base commit: ${check.error}`,
      "Regenerate the patch against the base commit (git diff from a clean checkout of it).",
    );
  }
  return undefined;
}

function precheckOutcome(description: string, suggestion: string): ReviewOutcome {
  return {
    decision: "request_changes",
    source: "precheck",
    reason: description,
    report: {
      decision: { recommendation: "request_changes", confidence: 1 },
      summary: { problem: "", solution: description, overall_assessment: description },
      defects: [{ severity: "high", category: "correctness", location: null, description, suggestion }],
    },
  };
}

/** `git apply --check`, or failing that `patch --dry-run --fuzz=5 -p1` (the harness's fallback). */
async function applies(
  patch: string,
  run: PatchCheckRunner,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const gitCheck = await run(["git", "apply", "--check", "-"], patch);
  if (gitCheck.code === 0) return { ok: true };
  const fuzzy = await run(["patch", "--dry-run", "--batch", "--fuzz=5", "-p1"], patch);
  if (fuzzy.code === 0) return { ok: true };
  return { ok: false, error: gitCheck.output.trim().split("\n").slice(0, 3).join(" ") || "git apply failed" };
}
