import { type ChildProcess, spawn } from "node:child_process";
import { z } from "zod";
import { SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import type { SupervisorRequest } from "../supervisor/protocol.js";
import type { Sandbox, SupervisorProcess } from "./sandbox.js";

type Operation = SupervisorRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Params<O extends Operation> = Omit<Extract<SupervisorRequest, { op: O }>, "id" | "op">;

const ResponseSchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    id: z.number(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);

/** The longest answer line read (a 256 MiB test log is 341 MiB of base64). */
const MAX_ANSWER_BYTES = 512 * 1024 * 1024;

/** How long the supervisor may take to answer a request: its own time limit, and a margin. */
function answerDeadlineMs(op: string, params: object): number {
  const margin = 15_000;
  if (op === "wait" && "maxMs" in params) return Number(params.maxMs) + margin;
  if (op === "run" && "timeoutMs" in params) return Number(params.timeoutMs) + margin;
  if (op === "hello") return 120_000; // a start on a loaded machine
  if (op === "read" || op === "write") return 60_000 + margin; // up to hundreds of MiB
  return 15_000 + margin;
}

/** Splits a stream into lines, refusing (once) a line longer than `maxBytes` rather than holding it all. */
class LineReader {
  onLine: (line: string) => void = () => {};
  private parts: Buffer[] = [];
  private size = 0;
  private refused = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.refused) return;
    let rest = chunk;
    for (let at = rest.indexOf(10); at !== -1; at = rest.indexOf(10)) {
      this.parts.push(rest.subarray(0, at));
      const line = Buffer.concat(this.parts).toString("utf8");
      this.parts = [];
      this.size = 0;
      rest = rest.subarray(at + 1);
      this.onLine(line);
    }
    this.parts.push(rest);
    this.size += rest.length;
    if (this.size > this.maxBytes) {
      this.refused = true;
      this.parts = [];
      this.onTooLong();
    }
  }
}

/** A failed supervisor operation, with the errno-style code the supervisor reported (ENOENT, EISDIR, …). */
export class SandboxOpError extends SweReviewError {
  constructor(
    readonly opCode: string,
    message: string,
  ) {
    super("sandbox_op_failed", message);
  }
}

/** What tools need of a session: requests to its supervisor. */
export interface SupervisorChannel {
  request<O extends Operation>(op: O, params: Params<O>): Promise<unknown>;
}

/** A channel to a session still starting: requests wait for it (and fail if it does not start). */
export function deferredChannel(session: Promise<SupervisorChannel>): SupervisorChannel {
  return { request: async (op, params) => (await session).request(op, params) };
}

export interface SessionOptions {
  logger?: Logger;
  /** A command printing more than this many bytes is killed. */
  maxCommandOutputBytes?: number;
  /** Extra environment for the agent's commands (e.g. an external coding agent's API key, when the user asks). */
  env?: Record<string, string>;
}

/**
 * The host's end of a sandbox: starts the supervisor inside it and talks to it. One per agent run. Closing it
 * ends every process the agent started.
 */
export class SandboxSession implements SupervisorChannel {
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private exited = false;
  private stderr = "";
  /** Why the host stopped the sandbox, when it did. */
  private failure: string | undefined;
  /** `close` was called: the end that follows is the one asked for. */
  private closing = false;
  /** How the sandbox ended, when it ended before `close` was called. */
  private lostReason: string | undefined;
  private readonly exitWaiters: (() => void)[] = [];

  private constructor(
    readonly sandbox: Sandbox,
    private readonly child: SupervisorProcess,
    private readonly logger: Logger,
    readonly startMs: number,
  ) {}

  static async start(sandbox: Sandbox, options: SessionOptions = {}): Promise<SandboxSession> {
    const logger = options.logger ?? silentLogger;
    const started = performance.now();
    await sandbox.prepare?.();
    const control = {
      ...options.env,
      SWE_REVIEW_SUPERVISOR_CWD: sandbox.paths.testbed,
      SWE_REVIEW_SUPERVISOR_CONTROL: `${sandbox.paths.tmp.replace(/\/$/, "")}/.swe-review-control`,
      SWE_REVIEW_SUPERVISOR_MAX_OUTPUT: String(options.maxCommandOutputBytes ?? 64 * 1024 * 1024),
      SWE_REVIEW_SUPERVISOR_DISK_ROOTS: JSON.stringify(
        sandbox.diskRoots ?? [sandbox.paths.testbed, sandbox.paths.root],
      ),
      SWE_REVIEW_SUPERVISOR_DISK_LIMIT: String(sandbox.limits.diskMb * 1024 * 1024),
    };
    let child: SupervisorProcess;
    if (sandbox.start) {
      child = await sandbox.start(control);
    } else {
      const spec = sandbox.launch([sandbox.supervisor.node, sandbox.supervisor.script], control);
      const spawned = spawn(spec.file, spec.args, {
        env: spec.env,
        ...(spec.cwd ? { cwd: spec.cwd } : {}),
        stdio: spec.fd3 ? ["pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"],
      });
      if (spec.fd3) {
        const fd3 = spawned.stdio[3] as NodeJS.WritableStream & { on(event: "error", f: () => void): void };
        fd3.on("error", () => {}); // a launch that fails early closes it; its exit says why
        fd3.end(spec.fd3);
      }
      child = childSupervisor(spawned);
    }
    const session = new SandboxSession(sandbox, child, logger, 0);
    session.listen();
    try {
      await session.request("hello", {});
    } catch (error) {
      await session.close();
      throw new SweReviewError(
        "sandbox_start_failed",
        `The ${sandbox.kind} sandbox did not start: ${session.stderr.trim() || (error as Error).message}` +
          (sandbox.kind === "bwrap"
            ? ". bubblewrap needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or root; " +
              "use --sandbox local to run without isolation."
            : ""),
        { cause: error },
      );
    }
    Object.assign(session, { startMs: performance.now() - started });
    return session;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * Why the sandbox ended before it was closed (something in it killed or stopped the supervisor, or the host gave
   * up on it), or undefined. An agent that worked on in a lost sandbox saw only errors: its result is not one.
   */
  get lost(): string | undefined {
    return this.lostReason;
  }

  async request<O extends Operation>(op: O, params: Params<O>): Promise<unknown> {
    if (this.exited) throw new SweReviewError("sandbox_gone", `The sandbox has stopped.${this.stderrHint()}`);
    const id = this.nextId++;
    const message = JSON.stringify({ id, op, ...params });
    return new Promise((resolve, reject) => {
      // A supervisor that does not answer in time is stopped, with everything in the sandbox: something in there
      // (which runs as the same user) may have stopped it with SIGSTOP.
      const deadline = answerDeadlineMs(op, params);
      const timer = setTimeout(
        () => this.abandon(`did not answer \`${op}\` within ${deadline / 1000} s`),
        deadline,
      );
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin.write(`${message}\n`);
    });
  }

  /** Stops an unanswering or misbehaving supervisor; every request waiting on it fails with `why`. */
  private abandon(why: string): void {
    if (this.exited) return;
    this.failure = `The sandbox's supervisor ${why}; the sandbox was stopped.`;
    this.child.kill();
  }

  /** Ends the supervisor and everything it started, then releases the sandbox. */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
      this.child.stdin.write(`${JSON.stringify({ id: 0, op: "shutdown" })}\n`);
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill(), 2_000);
      await exited;
      clearTimeout(timer);
    }
    await this.sandbox.dispose();
  }

  private listen(): void {
    (this.child.stdin as NodeJS.WritableStream & { on(e: "error", f: () => void): void }).on(
      "error",
      () => {},
    );
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4000);
    });
    const lines = new LineReader(MAX_ANSWER_BYTES, () =>
      this.abandon(`answered with a line of over ${MAX_ANSWER_BYTES} bytes`),
    );
    this.child.stdout.on("data", (chunk: Buffer) => lines.push(chunk));
    lines.onLine = (line) => {
      let parsed: z.infer<typeof ResponseSchema>;
      try {
        parsed = ResponseSchema.parse(JSON.parse(line));
      } catch {
        this.logger.debug({ line: line.slice(0, 200) }, "unexpected supervisor output");
        return;
      }
      const waiter = this.pending.get(parsed.id);
      if (!waiter) return;
      this.pending.delete(parsed.id);
      if (parsed.ok) waiter.resolve(parsed.result);
      else waiter.reject(new SandboxOpError(parsed.error.code, parsed.error.message));
    };
    this.child.onExit((code, signal, why) => {
      if (why) this.stderr += why;
      this.exited = true;
      const ending = this.failure ?? `The sandbox stopped (exit ${code ?? signal}).${this.stderrHint()}`;
      if (!this.closing) this.lostReason = ending;
      const error = new SweReviewError("sandbox_gone", ending);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      for (const waiter of this.exitWaiters.splice(0)) waiter();
    });
  }

  private stderrHint(): string {
    const text = this.stderr.trim();
    return text ? ` It said: ${text.split("\n").slice(-3).join(" ")}` : "";
  }
}

/** A supervisor started as a host child process (`bwrap`, `local`). */
function childSupervisor(child: ChildProcess): SupervisorProcess {
  return {
    stdin: child.stdin as NodeJS.WritableStream,
    stdout: child.stdout as NodeJS.ReadableStream,
    stderr: child.stderr as NodeJS.ReadableStream,
    kill: () => child.kill("SIGKILL"),
    onExit: (listener) => {
      let ended = false;
      const end = (code: number | null, signal: string | null, error?: string) => {
        if (ended) return;
        ended = true;
        listener(code, signal, error);
      };
      child.once("exit", (code, signal) => end(code, signal));
      // A program that could not be started never exits.
      child.once("error", (error) => {
        if (child.pid === undefined) end(null, null, error.message);
      });
    },
  };
}
