import { spawn } from "node:child_process";
import { InputError } from "../common/errors.js";
import { GitError } from "../workspace/git.js";
import { gitOverCheckout, type HostCheckout } from "../workspace/isolated-git.js";
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

/**
 * Runs a check program in the checkout with the patch on its standard input, wherever the checkout is (a host
 * folder, a container): its exit code (null: it did not run) and what it printed.
 */
export type PatchCheckRunner = (
  argv: readonly string[],
  patch: string,
) => Promise<{ code: number | null; output: string }>;

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

/**
 * The check over a host checkout, which a sandbox (the workspace's setup) may have written in: git with a
 * repository of our own (`gitOverCheckout`: nothing in the checkout's `.git` runs), `patch` as it is.
 */
export function hostCheckoutRunner(checkout: HostCheckout): PatchCheckRunner {
  return async ([file, ...args], patch) => {
    if (file !== "git") return run(file as string, args, checkout.testbed, patch);
    try {
      const result = await gitOverCheckout(checkout, args, patch);
      return { code: 0, output: result.stderr + result.stdout };
    } catch (error) {
      if (error instanceof GitError) return { code: error.gitExitCode, output: error.stderr };
      throw error;
    }
  };
}

function run(
  file: string,
  args: string[],
  cwd: string,
  input: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", (error) => resolve({ code: null, output: error.message }));
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}
