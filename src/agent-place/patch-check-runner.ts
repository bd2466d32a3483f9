import { spawn } from "node:child_process";
import { GitError } from "../workspace/git.js";
import { gitOverCheckout, type HostCheckout } from "../workspace/isolated-git.js";

/**
 * Runs a check program in the checkout with the patch on its standard input, wherever the checkout is (a host
 * folder, a container): its exit code (null: it did not run) and what it printed.
 */
export type PatchCheckRunner = (
  argv: readonly string[],
  patch: string,
) => Promise<{ code: number | null; output: string }>;

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
