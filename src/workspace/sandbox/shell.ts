import { z } from "zod";
import type { WaitResult } from "../supervisor/protocol.js";
import type { SupervisorChannel } from "./session.js";

const WaitResultSchema = z.object({
  running: z.boolean(),
  exitCode: z.number().nullable(),
  cwd: z.string().nullable(),
  python: z.string().nullable(),
  output: z.string(),
  omittedBytes: z.number(),
  overflowKilled: z.boolean(),
  shellExited: z.boolean(),
  disk: z
    .object({ grownBytes: z.number(), limitBytes: z.number(), killed: z.boolean(), jobsStopped: z.boolean() })
    .nullable(),
});

/**
 * What waiting on a shell command returned: still running or its exit code, the output since the last wait, and
 * why it was killed if it was.
 */
export type ShellWait = WaitResult;

/**
 * A finished (or timed-out) shell command: its exit code, output, working folder and why it was killed if it
 * was.
 */
export interface ShellRunResult extends WaitResult {
  /** The command reached its time limit and was killed. */
  timedOut: boolean;
}

/**
 * The agent's persistent bash inside the sandbox: one command at a time; `cd` and exported variables persist.
 * Low-level steps (start, input, interrupt, wait) for the terminal tool, and `run` for a command to completion.
 */
export class PersistentShell {
  private busy = false;

  constructor(private readonly session: SupervisorChannel) {}

  /** A command is running (started and not yet seen to finish). */
  get running(): boolean {
    return this.busy;
  }

  async start(command: string): Promise<void> {
    await this.session.request("exec", { command });
    this.busy = true;
  }

  async input(text: string, eof = false): Promise<void> {
    await this.session.request("input", { text, eof });
  }

  async interrupt(signal: "SIGINT" | "SIGTERM" | "SIGKILL" = "SIGINT"): Promise<void> {
    await this.session.request("signal", { signal });
  }

  /** Waits for the command to finish, or for `idleMs` without output (null: no idle limit), or `maxMs` in all. */
  async wait(idleMs: number | null, maxMs: number): Promise<ShellWait> {
    const result = WaitResultSchema.parse(await this.session.request("wait", { idleMs, maxMs }));
    this.busy = result.running;
    return result;
  }

  async reset(): Promise<void> {
    await this.session.request("reset", {});
    this.busy = false;
  }

  /**
   * Runs a command to completion. At `timeoutMs` its processes get SIGINT, then SIGKILL two seconds later; if even
   * that does not end it, the shell is reset.
   */
  async run(command: string, timeoutMs: number): Promise<ShellRunResult> {
    await this.start(command);
    let result = await this.wait(null, timeoutMs);
    if (!result.running) return { ...result, timedOut: false };
    const outputs = [result.output];
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      await this.interrupt(signal);
      result = await this.wait(null, 2_000);
      outputs.push(result.output);
      if (!result.running) return { ...result, output: outputs.join(""), timedOut: true };
    }
    await this.reset();
    return { ...result, running: false, output: outputs.join(""), timedOut: true };
  }
}
