import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLI, type CliResult } from "./cli.js";

const RUNNER = fileURLToPath(new URL("./cli-batch-runner.mjs", import.meta.url));

/**
 * Runs each argv through the built CLI's `main` in one process (see cli-batch-runner.mjs): for tests that run the CLI
 * hundreds of times, on inputs it must refuse before doing any work. `uid`/`gid` run it as another user.
 */
export function runCliBatch(
  cases: readonly string[][],
  options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number },
): Promise<CliResult[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`the CLI batch runner exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      const results = JSON.parse(stdout) as CliResult[];
      if (results.length < cases.length) {
        reject(new Error(`the CLI did not finish: swe-review ${cases[results.length - 1]?.join(" ")}`));
        return;
      }
      resolve(results);
    });
    child.stdin.end(JSON.stringify(cases.map((argv) => ({ argv }))));
  });
}
