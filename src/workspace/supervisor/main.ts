/**
 * The supervisor: the one process swe-review starts inside a sandbox. It owns the agent's persistent shell and does
 * file operations, answering JSON-line requests on stdin. Node built-ins only: it runs wherever `node` does.
 *
 * Environment: SWE_REVIEW_SUPERVISOR_CWD (the shell's start folder), SWE_REVIEW_SUPERVISOR_CONTROL (a private
 * folder for command files), SWE_REVIEW_SUPERVISOR_MAX_OUTPUT (bytes after which a command is killed),
 * SWE_REVIEW_SUPERVISOR_PIDNS=1 (alone in a PID namespace: resets kill every other process),
 * SWE_REVIEW_SUPERVISOR_DISK_ROOTS (JSON list of the folders the agent writes on disk) and
 * SWE_REVIEW_SUPERVISOR_DISK_LIMIT (bytes they may grow by), SWE_REVIEW_SUPERVISOR_BASH (the shell to run),
 * SWE_REVIEW_SUPERVISOR_SHELL_INIT (shell text every new shell runs first, quietly: e.g. conda's activation),
 * SWE_REVIEW_SUPERVISOR_RUN_PREFIX (JSON argv the shell and the `run` op's programs are started through) and
 * SWE_REVIEW_SUPERVISOR_LIFETIME_MS (the supervisor ends itself, and everything in the sandbox, after this long).
 * Everything else in the environment is passed to the shell.
 */
import { createInterface } from "node:readline";
import { BashSession } from "./bash-session.js";
import { collectFile } from "./deliverables.js";
import { DiskGuard } from "./disk-guard.js";
import { readPath, statPath, writePath } from "./fs-ops.js";
import {
  descendants,
  killAllOthers,
  killStrays,
  sandboxMembers,
  selfAndAncestors,
  signalAll,
} from "./processes.js";
import { OpError, type SupervisorRequest, type SupervisorResponse } from "./protocol.js";
import { runProgram } from "./run-program.js";

const control = {
  cwd: process.env.SWE_REVIEW_SUPERVISOR_CWD ?? process.cwd(),
  controlDir: process.env.SWE_REVIEW_SUPERVISOR_CONTROL ?? "/tmp/.swe-review",
  maxOutput: Number(process.env.SWE_REVIEW_SUPERVISOR_MAX_OUTPUT ?? 64 * 1024 * 1024),
  ownPidNamespace: process.env.SWE_REVIEW_SUPERVISOR_PIDNS === "1",
  diskRoots: JSON.parse(process.env.SWE_REVIEW_SUPERVISOR_DISK_ROOTS ?? "[]") as string[],
  diskLimit: Number(process.env.SWE_REVIEW_SUPERVISOR_DISK_LIMIT ?? 0),
  bash: process.env.SWE_REVIEW_SUPERVISOR_BASH,
  shellInit: process.env.SWE_REVIEW_SUPERVISOR_SHELL_INIT,
  runPrefix: JSON.parse(process.env.SWE_REVIEW_SUPERVISOR_RUN_PREFIX ?? "[]") as string[],
  lifetimeMs: Number(process.env.SWE_REVIEW_SUPERVISOR_LIFETIME_MS ?? 0),
};
const shellEnv: NodeJS.ProcessEnv = { ...process.env };
for (const key of Object.keys(shellEnv)) if (key.startsWith("SWE_REVIEW_SUPERVISOR_")) delete shellEnv[key];

const members = sandboxMembers(control.ownPidNamespace);
/** Programs the `run` op is running now: they and what runs under them are not strays. */
const runs = new Map<number, { stopForDisk(): void }>();
/**
 * What is not a stray: this supervisor and its ancestors; the programs `run` is running; the shell and, while a
 * command runs, everything under it, between commands only its background jobs and what runs under them.
 */
function vouchedFor(parents: Map<number, number>): Set<number> {
  const kept = selfAndAncestors(parents);
  const roots = [...runs.keys()];
  const shell = session.shell;
  if (shell) {
    kept.add(shell.pid);
    roots.push(...(shell.commandRunning ? [shell.pid] : shell.jobs));
  }
  for (const root of roots) {
    kept.add(root);
    for (const pid of descendants(root, parents)) kept.add(pid);
  }
  return kept;
}
const strays = () => {
  if (members) killStrays(vouchedFor, members);
};
const disk =
  control.diskLimit > 0 && control.diskRoots.length > 0
    ? new DiskGuard({ roots: control.diskRoots, limitBytes: control.diskLimit })
    : undefined;
const session = new BashSession({
  cwd: control.cwd,
  env: shellEnv,
  controlDir: control.controlDir,
  maxCommandOutputBytes: control.maxOutput,
  ownPidNamespace: control.ownPidNamespace,
  killStrays: strays,
  ...(disk ? { disk } : {}),
  ...(control.bash ? { bash: control.bash } : {}),
  ...(control.runPrefix.length > 0 ? { prefix: control.runPrefix } : {}),
  ...(control.shellInit ? { init: control.shellInit } : {}),
});

/**
 * The supervisor's watch, twice a second for as long as it lives (between commands too: the shell's background jobs
 * run then): strays die (a daemon holding a command's output pipe would keep it running, and act meanwhile), and
 * whatever grows the workspace past its disk limit is stopped.
 */
const WATCH_MS = 500;
setInterval(() => {
  strays();
  const check = disk?.check();
  if (!check?.over || !check.growing) return;
  session.stopForDisk(check);
  for (const run of runs.values()) run.stopForDisk();
}, WATCH_MS).unref();

function send(response: SupervisorResponse): void {
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

async function handle(request: SupervisorRequest): Promise<unknown> {
  switch (request.op) {
    case "hello":
      return { pid: process.pid, node: process.version, cwd: control.cwd };
    case "exec":
      session.exec(request.command);
      return {};
    case "input":
      session.input(request.text, request.eof);
      return {};
    case "signal":
      session.signal(request.signal);
      return {};
    case "wait":
      return session.wait(request.idleMs, request.maxMs);
    case "reset":
      await session.reset();
      return {};
    case "stat":
      return statPath(request.path);
    case "read":
      return readPath(request.path, request.maxBytes);
    case "write":
      writePath(request.path, request.base64);
      return {};
    case "run":
      return runProgram([...(request.asSupervisor ? [] : control.runPrefix), ...request.argv], {
        ...(request.cwd ? { cwd: request.cwd } : { cwd: control.cwd }),
        env: shellEnv,
        timeoutMs: request.timeoutMs,
        maxBytes: request.maxBytes,
        killStrays: strays,
        runs,
      });
    case "collect":
      // Nothing else may run while the agent's deliverables are read, and nothing runs again afterwards.
      await stopEverythingElse();
      return Object.fromEntries(request.paths.map((path) => [path, collectFile(path, request.maxBytes)]));
    case "shutdown":
      shutdown(0);
      return {};
  }
}

/** Kills every process in the sandbox but this one (alone in a PID namespace: all of them, strays included). */
async function stopEverythingElse(): Promise<void> {
  signalAll(descendants(process.pid), "SIGKILL");
  if (control.ownPidNamespace) await killAllOthers();
}

function shutdown(code: number): void {
  void stopEverythingElse().finally(() => process.exit(code));
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let request: SupervisorRequest;
  try {
    request = JSON.parse(line) as SupervisorRequest;
  } catch {
    return;
  }
  handle(request).then(
    (result) => send({ id: request.id, ok: true, result: result ?? null }),
    (error: unknown) =>
      send({
        id: request.id,
        ok: false,
        error: {
          code: error instanceof OpError ? error.code : "failed",
          message: error instanceof Error ? error.message : String(error),
        },
      }),
  );
});
// A sandbox whose host was killed outright still ends (the container backend's wall-time limit).
if (control.lifetimeMs > 0) setTimeout(() => shutdown(0), control.lifetimeMs).unref();
// The host went away: leave nothing running.
lines.on("close", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
