import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds it first) with a clean environment unless one is given. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  return runProcess(process.execPath, [CLI, ...args], options);
}

const live = new Set<ChildProcess>();

/** Kills what `runProcess` started and is still running: a test that timed out must not leave its CLI loading the machine. */
export function killLiveChildren(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

/**
 * Runs a program without blocking this process (servers the test runs in-process keep answering), with a clean
 * environment unless one is given; killed after `timeoutMs`.
 */
export function runProcess(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const spawnOptions: SpawnOptions = {
    // A fresh folder by default: a command run from the checkout must not litter it.
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), "swe-review-cwd-")),
    // Default outputs go to the state folder: a temporary one, never the real home's.
    env: options.env ?? {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      XDG_STATE_HOME: mkdtempSync(join(tmpdir(), "swe-review-state-")),
    },
    stdio: ["pipe", "pipe", "pipe"],
  };
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, spawnOptions);
    live.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? "");
  });
}
