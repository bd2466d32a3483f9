import { spawn } from "node:child_process";
import { descendants, signalAll } from "./processes.js";
import type { RunResult } from "./protocol.js";

export interface RunProgramOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output kept (stdout and stderr together); the rest is dropped and `truncated` says so. */
  maxBytes: number;
  /** Kills what the program left behind once it exits (the sandbox's strays). */
  killStrays: () => void;
  /**
   * Programs running now, by pid: this one is in it while it runs (what runs under it is not a stray), with how to
   * stop it when the supervisor's watch finds the workspace past its disk limit.
   */
  runs: Map<number, { stopForDisk(): void }>;
}

/** How long a program's pipes may stay open after it exits (something it left still holds them). */
const CLOSE_GRACE_MS = 2_000;

/**
 * Runs a program to completion in a process group of its own: at its time limit the whole group and every
 * descendant is killed; when it exits, whatever it left running is killed, so nothing it started can write to its
 * output (or anywhere else) afterwards. Output comes through pipes, which nothing can rewrite once read.
 */
export function runProgram(argv: string[], options: RunProgramOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    const result: RunResult = {
      exitCode: null,
      stdout: "",
      stderr: "",
      timedOut: false,
      truncated: false,
      killedForDisk: false,
    };
    if (!file) {
      resolve({ ...result, stderr: "empty command" });
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pid = child.pid;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (size < options.maxBytes) into.push(chunk.subarray(0, options.maxBytes - size));
      if (size + chunk.length > options.maxBytes) result.truncated = true;
      size += chunk.length;
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const killAll = () => {
      if (child.pid === undefined) return;
      const pids = descendants(child.pid);
      signalAll([-child.pid, child.pid, ...pids], "SIGKILL");
    };
    if (pid !== undefined)
      options.runs.set(pid, {
        stopForDisk: () => {
          result.killedForDisk = true;
          killAll();
        },
      });
    const timer = setTimeout(() => {
      result.timedOut = true;
      killAll();
    }, options.timeoutMs);
    let settled = false;
    const finish = (exitCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        ...result,
        exitCode,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    };
    child.on("error", (error) => {
      if (pid !== undefined) options.runs.delete(pid);
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, stderr: error.message });
    });
    child.on("exit", (code) => {
      // Its group, its orphans and anything it made a sibling of itself: nothing it started outlives it.
      if (pid !== undefined) {
        options.runs.delete(pid);
        signalAll([-pid], "SIGKILL");
      }
      options.killStrays();
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code);
      }, CLOSE_GRACE_MS);
      child.once("close", () => {
        clearTimeout(grace);
        finish(code);
      });
    });
  });
}
