import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import type { DiskCheck, DiskGuard } from "./disk-guard.js";
import { OutputWindow } from "./output-window.js";
import { descendants, killAllOthers, signalAll } from "./processes.js";
import type { WaitResult } from "./protocol.js";

export interface BashSessionOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where command files and stdin FIFOs are made (inside the sandbox's private /tmp). */
  controlDir: string;
  /** A command that prints more than this is killed. */
  maxCommandOutputBytes: number;
  /** Alone in a PID namespace: a reset may kill every other process, including ones that left the shell's tree. */
  ownPidNamespace: boolean;
  /** The bash to run (an execute-only copy in the sandbox, so that nothing the agent runs can take it over). */
  bash?: string;
  /**
   * A program the shell (and `mkfifo`) is started through (argv; the program and its arguments follow), e.g. the container
   * backend's `setpriv` that drops capabilities. Nothing of the sandbox's own files is run before it: a script
   * (`#!/bin/sh`) would run the sandbox's `/bin/sh`, which the agent may have replaced, with the supervisor's rights.
   */
  prefix?: readonly string[];
  /** Shell text every new shell runs first, its output discarded (e.g. `conda activate testbed`). */
  init?: string;
  /** Kills the sandbox's strays (daemons, orphans): called as each command ends. */
  killStrays: () => void;
  /** Checks the workspace's growth after each command (the supervisor watches it meanwhile). */
  disk?: DiskGuard;
}

interface Finished {
  exitCode: number | null;
  python: string | null;
  cwd: string | null;
}

/**
 * A persistent bash. Each command is written to a file and sourced (so `cd` and `export` persist) with its stdin
 * on a FIFO of its own, so the command can be given input (`is_input`) or EOF, and can never read the shell's
 * control channel. A line with a random marker after the command carries its exit code, `python` and cwd.
 */
export class BashSession {
  private bash: ChildProcess | undefined;
  private readonly nonce = randomBytes(12).toString("hex");
  private readonly marker: Buffer;
  private readonly window = new OutputWindow();
  private carry: Buffer = Buffer.alloc(0);
  private running = false;
  private finished: Finished | undefined;
  private commandBytes = 0;
  private overflowKilled = false;
  private shellExited = false;
  private before = new Set<number>();
  private stdinFd: number | undefined;
  private counter = 0;
  /** FIFOs made ahead up to this command number. */
  private fifosMade = 0;
  private lastOutputAt = Date.now();
  private wake: (() => void) | undefined;
  private readonly exited = new WeakSet<ChildProcess>();
  private diskKilled = false;
  private diskAfter: DiskCheck | undefined;
  /** Background jobs were stopped for the disk between commands: the next result says so. */
  private jobsStoppedForDisk = false;
  /** The shell's background jobs as it listed them after the last command (`jobs -p`). */
  private jobs: number[] = [];

  constructor(private readonly options: BashSessionOptions) {
    this.marker = Buffer.from(`\n__SWE_END_${this.nonce}__ `);
  }

  /** Whether the shell has exited (its 'exit' may come before its pipes are drained and it is let go). */
  private hasExited(bash: ChildProcess): boolean {
    return this.exited.has(bash) || bash.exitCode !== null || bash.signalCode !== null;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * The shell, for telling strays from the processes it vouches for: while a command runs, everything under the
   * shell; between commands, the shell and its background jobs (`jobs -p`) with what runs under them.
   */
  get shell(): { pid: number; commandRunning: boolean; jobs: readonly number[] } | undefined {
    const pid = this.bash?.pid;
    if (pid === undefined || !this.bash || this.hasExited(this.bash)) return undefined;
    return { pid, commandRunning: this.running && !this.finished, jobs: this.jobs };
  }

  private start(): ChildProcess {
    const [file, ...args] = [
      ...(this.options.prefix ?? []),
      this.options.bash ?? "bash",
      "--norc",
      "--noprofile",
    ];
    const bash = spawn(file as string, args, {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    bash.stdout?.on("data", (chunk: Buffer) => this.onOutput(bash, chunk));
    bash.stderr?.on("data", (chunk: Buffer) => this.onOutput(bash, chunk));
    bash.stdin?.on("error", () => {});
    // 'exit' may come before the last output is read from the pipes: wait for them to end, but give a background
    // job that holds them open only a short grace (the shell is gone either way).
    bash.on("exit", (code, signal) => {
      this.exited.add(bash); // gone now, whenever its last output is read
      void pipesEnded(bash, EXIT_DRAIN_MS).then(() => this.onExit(bash, code, signal));
    });
    // Everything the shell and its commands print goes to one stream, in order.
    bash.stdin?.write("exec 2>&1; set +H; PS1=''; PS2=''\n");
    if (this.options.init) bash.stdin?.write(`{ ${this.options.init}\n} >/dev/null 2>&1 </dev/null\n`);
    this.bash = bash;
    this.shellExited = false;
    return bash;
  }

  /**
   * The stdin FIFO of command `n`. FIFOs are made ahead, 32 with one `mkfifo` (a fork costs milliseconds on slow
   * machines, and every command needs a FIFO of its own: a background job may hold the previous one open).
   */
  private nextFifo(n: number): string {
    const path = (k: number) => join(this.options.controlDir, `in-${k}`);
    if (n > this.fifosMade) {
      const batch = Array.from({ length: FIFO_BATCH }, (_, i) => path(n + i));
      makeFifos(batch, this.options.prefix);
      this.fifosMade = n + FIFO_BATCH - 1;
    }
    return path(n);
  }

  exec(command: string): void {
    if (this.running) throw new Error("A command is still running.");
    const bash = this.bash && !this.hasExited(this.bash) && !this.bash.killed ? this.bash : this.start();
    const n = ++this.counter;
    mkdirSync(this.options.controlDir, { recursive: true });
    const script = join(this.options.controlDir, `cmd-${n}.sh`);
    writeFileSync(script, `${command}\n`);
    const fifo = this.nextFifo(n);
    // Read-write and non-blocking: opening never waits for the reader, and closing it later gives the reader EOF.
    // Never through a link, and only a FIFO (the agent can write the control folder): else made afresh.
    let fd = openFifo(fifo);
    if (fd === undefined) {
      makeFifos([fifo], this.options.prefix);
      fd = openFifo(fifo);
      if (fd === undefined) throw new Error(`${fifo} is not a FIFO`);
    }
    this.stdinFd = fd;
    this.before = bash.pid === undefined ? new Set() : descendants(bash.pid);
    this.running = true;
    this.finished = undefined;
    this.commandBytes = 0;
    this.overflowKilled = false;
    // Jobs stopped for the disk since the last command: this command's result says so.
    this.diskKilled = this.jobsStoppedForDisk;
    if (!this.jobsStoppedForDisk) this.diskAfter = undefined;
    this.lastOutputAt = Date.now();
    const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
    bash.stdin?.write(
      `. ${quote(script)} < ${quote(fifo)}; __swe_rc=$?; __swe_jobs=$(jobs -p); ` +
        `printf '\\n__SWE_END_%s__ %d %s %s %s\\n' ${this.nonce} "$__swe_rc" "$(command -v python 2>/dev/null || echo -)" ` +
        `"\${__swe_jobs//$'\\n'/,}" "$PWD"\n`,
    );
  }

  input(text: string, eof = false): void {
    if (!this.running || this.stdinFd === undefined) throw new Error("No command is running.");
    if (text.length > 0) {
      try {
        writeSync(this.stdinFd, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
        throw new Error("The command is not reading its input (the input buffer is full).");
      }
    }
    if (eof) this.closeStdin();
  }

  /** Signals the processes the current command started; a command made only of shell builtins interrupts the shell. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.bash?.pid;
    if (!this.running || pid === undefined) return;
    const started = [...descendants(pid)].filter((child) => !this.before.has(child));
    if (started.length > 0) signalAll(started, signal);
    else signalAll([pid], signal);
  }

  /**
   * Stops the command for good: everything under the shell, and the shell itself (a loop run by the shell goes on
   * when only its current child dies). The next command starts a new shell.
   */
  private stopCommand(): void {
    const pid = this.bash?.pid;
    if (!this.running || pid === undefined) return;
    signalAll([...descendants(pid), pid], "SIGKILL");
  }

  async wait(idleMs: number | null, maxMs: number): Promise<WaitResult> {
    const started = Date.now();
    for (;;) {
      if (this.finished || !this.running) return this.result();
      const now = Date.now();
      const deadlines = [started + maxMs];
      if (idleMs !== null) deadlines.push(Math.max(this.lastOutputAt, started) + idleMs);
      const deadline = Math.min(...deadlines);
      if (now >= deadline) return this.result();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - now);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Kills the shell and everything it started, and starts afresh on the next command. */
  async reset(): Promise<void> {
    const bash = this.bash;
    this.bash = undefined;
    if (bash?.pid !== undefined && !this.hasExited(bash)) {
      const exited = new Promise((resolve) => bash.once("exit", resolve));
      signalAll(descendants(bash.pid), "SIGKILL");
      bash.kill("SIGKILL");
      await exited;
    }
    if (this.options.ownPidNamespace) await killAllOthers();
    this.closeStdin();
    this.running = false;
    this.finished = undefined;
    this.carry = Buffer.alloc(0);
    this.window.take();
  }

  private result(): WaitResult {
    const { text, omittedBytes } = this.window.take();
    const finished = this.finished;
    const result: WaitResult = {
      running: this.running && !finished,
      exitCode: finished?.exitCode ?? null,
      cwd: finished?.cwd ?? null,
      python: finished?.python ?? null,
      output: text,
      omittedBytes,
      overflowKilled: this.overflowKilled,
      shellExited: this.shellExited,
      disk: this.diskAfter?.over
        ? {
            grownBytes: this.diskAfter.grownBytes,
            limitBytes: this.diskAfter.limitBytes,
            killed: this.diskKilled,
            jobsStopped: this.jobsStoppedForDisk,
          }
        : null,
    };
    if (finished) {
      this.jobsStoppedForDisk = false;
      this.running = false;
      this.finished = undefined;
    }
    return result;
  }

  private onOutput(source: ChildProcess, chunk: Buffer): void {
    if (source !== this.bash) return;
    this.lastOutputAt = Date.now();
    if (!this.running) {
      this.window.push(chunk); // a background job printing between commands
      this.wake?.();
      return;
    }
    this.commandBytes += chunk.length;
    let data = Buffer.concat([this.carry, chunk]);
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      const lineEnd = data.indexOf(10, at + this.marker.length);
      if (lineEnd >= 0) {
        this.window.push(data.subarray(0, at));
        this.complete(data.subarray(at + this.marker.length, lineEnd).toString("utf8"));
        const rest = data.subarray(lineEnd + 1);
        this.carry = Buffer.alloc(0);
        if (rest.length > 0) this.window.push(rest);
        this.wake?.();
        return;
      }
      this.window.push(data.subarray(0, at));
      this.carry = data.subarray(at);
      return;
    }
    // Hold back only a tail that could be the start of a marker split across chunks.
    const keep = partialMarkerLength(data, this.marker);
    this.window.push(data.subarray(0, data.length - keep));
    this.carry = Buffer.from(data.subarray(data.length - keep));
    data = Buffer.alloc(0);
    if (this.commandBytes > this.options.maxCommandOutputBytes && !this.overflowKilled) {
      this.overflowKilled = true;
      this.signal("SIGKILL");
    }
    this.wake?.();
  }

  private complete(line: string): void {
    const [code = "", python = "-", jobs = "", ...cwd] = line.split(" ");
    this.jobs = jobs.split(",").filter(Boolean).map(Number);
    this.finished = {
      exitCode: Number.parseInt(code, 10),
      python: python === "-" ? null : python,
      cwd: cwd.join(" ") || null,
    };
    this.closeStdin();
    this.ended();
  }

  /** A command ended: nothing it left outside the shell's jobs survives, and the disk is looked at once more. */
  private ended(): void {
    this.options.killStrays();
    if (this.options.disk) this.diskAfter = this.options.disk.check();
  }

  /**
   * The workspace grew past its disk limit and is still growing (the supervisor's watch saw it): a running command
   * is stopped, and its shell restarted; between commands, the shell's background jobs are what writes, and are
   * stopped. The next result says so.
   */
  stopForDisk(check: DiskCheck): void {
    const pid = this.bash?.pid;
    if (pid === undefined) return;
    if (this.running && !this.finished) {
      this.diskKilled = true;
      this.diskAfter = check;
      this.stopCommand();
      return;
    }
    const jobs = descendants(pid);
    if (jobs.size === 0) return; // not the shell's doing
    this.jobsStoppedForDisk = true;
    this.diskAfter = check;
    signalAll(jobs, "SIGKILL");
  }

  private onExit(bash: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (bash !== this.bash) return;
    this.bash = undefined;
    this.shellExited = true;
    if (this.carry.length > 0) this.window.push(this.carry);
    this.carry = Buffer.alloc(0);
    if (this.running && !this.finished) {
      this.finished = {
        exitCode: code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : null),
        python: null,
        cwd: null,
      };
      this.closeStdin();
      this.ended();
    }
    this.wake?.();
  }

  private closeStdin(): void {
    if (this.stdinFd === undefined) return;
    try {
      closeSync(this.stdinFd);
    } catch {
      // already closed
    }
    this.stdinFd = undefined;
  }

  /** Every process this session started, for shutdown. */
  allProcesses(): number[] {
    const pid = this.bash?.pid;
    return pid === undefined ? [] : [pid, ...descendants(pid)];
  }
}

const EXIT_DRAIN_MS = 250;

/** Resolves when the child's stdout and stderr have ended, or after `graceMs`, whichever is first. */
function pipesEnded(child: ChildProcess, graceMs: number): Promise<void> {
  const ended = [child.stdout, child.stderr].map((stream) =>
    !stream || stream.destroyed || stream.readableEnded
      ? Promise.resolve()
      : new Promise<void>((resolve) => stream.once("close", () => resolve())),
  );
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  return Promise.race([Promise.all(ended).then(() => undefined), grace]).finally(() => clearTimeout(timer));
}

/** Length of the longest tail of `data` that is a beginning of `marker`. */
function partialMarkerLength(data: Buffer, marker: Buffer): number {
  for (let length = Math.min(data.length, marker.length - 1); length > 0; length--) {
    if (data.subarray(data.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return osConstants.signals[signal];
}

const FIFO_BATCH = 32;

/** Makes FIFOs with the sandbox's `mkfifo`, through `prefix` (the agent may have replaced it: never with our rights). */
function makeFifos(paths: string[], prefix: readonly string[] = []): void {
  for (const path of paths) rmSync(path, { force: true });
  const [file, ...args] = [...prefix, "mkfifo", ...paths];
  const made = spawnSync(file as string, args);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr?.toString() ?? made.error?.message}`);
}

/** Opens a FIFO for reading and writing without blocking; undefined when the path is missing or not a FIFO. */
function openFifo(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  if (!fstatSync(fd).isFIFO()) {
    closeSync(fd);
    return undefined;
  }
  return fd;
}
