/**
 * The supervisor protocol: JSON lines on stdin (requests) and stdout (responses). The supervisor runs inside the
 * sandbox with Node's built-ins only, so these are plain types; the host validates responses with zod.
 */
export interface RequestBase {
  id: number;
}

export type SupervisorRequest = RequestBase &
  (
    | { op: "hello" }
    | { op: "exec"; command: string }
    | { op: "input"; text: string; eof?: boolean }
    | { op: "signal"; signal: "SIGINT" | "SIGTERM" | "SIGKILL" }
    | { op: "wait"; idleMs: number | null; maxMs: number }
    | { op: "reset" }
    | { op: "stat"; path: string }
    | { op: "read"; path: string; maxBytes: number }
    | { op: "write"; path: string; base64: string }
    | {
        op: "run";
        argv: string[];
        cwd?: string;
        timeoutMs: number;
        maxBytes: number;
        /** Run as the supervisor itself, not through the sandbox's run prefix (the host's own setup steps). */
        asSupervisor?: boolean;
      }
    | { op: "collect"; paths: string[]; maxBytes: number }
    | { op: "shutdown" }
  );

export interface WaitResult {
  /** The command is still running (idle or max wait reached). */
  running: boolean;
  /** Exit code once finished. */
  exitCode: number | null;
  /** Working directory and `command -v python` after the command finished. */
  cwd: string | null;
  python: string | null;
  /** Output since the previous wait (head and tail kept when it is very large). */
  output: string;
  /** Bytes dropped from the middle of `output`. */
  omittedBytes: number;
  /** The command was killed for producing too much output. */
  overflowKilled: boolean;
  /** The shell itself exited (e.g. `exit`); a new one starts with the next command. */
  shellExited: boolean;
  /**
   * The workspace is past its disk limit after the command (it was killed when caught adding to it while it ran, or
   * the shell's background jobs were, between commands); null when within the limit.
   */
  disk: { grownBytes: number; limitBytes: number; killed: boolean; jobsStopped: boolean } | null;
}

export interface StatResult {
  kind: "file" | "directory" | "other";
  size: number;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** More output than `maxBytes` came: the rest was dropped. */
  truncated: boolean;
  /** Killed for growing the workspace past its disk limit. */
  killedForDisk: boolean;
}

export type SupervisorResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

/** Errors from file operations carry the errno code (ENOENT, EISDIR, …) so tools can word them. */
export class OpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
