/**
 * How an agent's commands are isolated. A sandbox turns "run this program" into a launch specification, and says
 * where the workspace appears to the agent. Backends: `bwrap` (bubblewrap), `local` (no isolation, opt-in); a
 * container backend (SWE-bench images) can implement the same interface.
 */
export interface SandboxPaths {
  /** The repository checkout (`/testbed`). */
  testbed: string;
  /** The review inputs, read-only (`/review_data`). */
  reviewData: string;
  /** Where deliverables such as `review_report.json` are written (`/`). */
  root: string;
  /** A private temporary folder (`/tmp`). */
  tmp: string;
}

export interface LaunchSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Written to the launched program's file descriptor 3 (bubblewrap reads its seccomp filter there). */
  fd3?: Buffer;
}

/**
 * A running supervisor as the host holds it: its standard streams and how to stop it. A child process for `bwrap`
 * and `local`; a container's attached streams for `docker`.
 */
export interface SupervisorProcess {
  readonly stdin: NodeJS.WritableStream;
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Stops it at once (and everything in the sandbox with it). */
  kill(): void;
  /** Called once, when it has ended (`error`: why it could not start or went away, when known). */
  onExit(listener: (code: number | null, signal: string | null, error?: string) => void): void;
}

/**
 * An isolation backend (bubblewrap, local, a container): how the supervisor is started inside it, the paths and
 * limits it has. Whoever opens it (`startSandbox`, a container's agent place) disposes of it: `dispose` ends
 * everything left in it.
 */
export interface Sandbox {
  readonly kind: "bwrap" | "local" | "docker";
  readonly paths: SandboxPaths;
  readonly limits: SandboxLimits;
  /**
   * Readies the host folders before each start (e.g. hands the workspace to the unprivileged user the sandbox runs
   * as). Runs while nothing runs in the sandbox.
   */
  prepare?(): Promise<void>;
  /** The command line that starts `argv` (a program and arguments as the sandbox sees them) inside the sandbox. */
  launch(argv: string[], env: Record<string, string>): LaunchSpec;
  /**
   * Starts the supervisor itself, for a sandbox that is not a host process (a container): when present, it is used
   * instead of spawning `launch`'s command line. `env` is the supervisor's control environment.
   */
  start?(env: Record<string, string>): Promise<SupervisorProcess>;
  /** Disk roots the supervisor watches (default: the checkout and the private root). */
  readonly diskRoots?: readonly string[];
  /** Where the supervisor program is, as seen inside the sandbox. */
  readonly supervisor: { node: string; script: string };
  /** Kills whatever is left and releases resources. */
  dispose(): Promise<void>;
}

/**
 * Resource limits of one sandbox (defaults `DEFAULT_LIMITS`: 1024 processes, 8 GiB memory, 2 GiB /tmp, 8 GiB
 * disk).
 */
export interface SandboxLimits {
  /** Most processes at once (contains fork bombs). */
  pidsMax: number;
  /** Memory limit in MiB. */
  memoryMb: number;
  /** Size of the sandbox's `/tmp` in MiB (a tmpfs: writes beyond it fail with "No space left on device"). */
  tmpMb: number;
  /**
   * How much the agent may add to its workspace (the checkout and the private root) in MiB, and the largest file it
   * may write. A command that grows the workspace past it is killed, and told why.
   */
  diskMb: number;
  /** CPUs the sandbox may use (e.g. 1.5); absent: no limit. Applied by the container backend. */
  cpus?: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { pidsMax: 1024, memoryMb: 8192, tmpMb: 2048, diskMb: 8192 };

/** Path name inside a sandbox for a deliverable written at its root. */
export function deliverablePath(paths: SandboxPaths, name: string): string {
  return paths.root.endsWith("/") ? `${paths.root}${name}` : `${paths.root}/${name}`;
}

/**
 * What every sandboxed command's environment says whatever the sandbox: a UTF-8 locale, no colours, no pagers, no
 * interactive editors or prompts. A container adds it to its image's own environment (PATH, HOME, conda).
 */
export const COMMAND_ENVIRONMENT: Readonly<Record<string, string>> = {
  LANG: "C.UTF-8",
  LC_ALL: "C.UTF-8",
  PYTHONIOENCODING: "utf-8",
  TERM: "dumb",
  NO_COLOR: "1",
  CLICOLOR: "0",
  PAGER: "cat",
  GIT_PAGER: "cat",
  MANPAGER: "cat",
  SYSTEMD_PAGER: "cat",
  GIT_EDITOR: "true",
  DEBIAN_FRONTEND: "noninteractive",
  PIP_DISABLE_PIP_VERSION_CHECK: "1",
  PIP_NO_INPUT: "1",
  // No __pycache__ in the checkout: it would show up in `git status` and in the candidate's diff.
  PYTHONDONTWRITEBYTECODE: "1",
};

/**
 * The environment every sandboxed command starts with on the host's file system: nothing inherited (no API keys,
 * tokens or credentials), its paths, and `COMMAND_ENVIRONMENT`.
 */
export function cleanEnvironment(base: { home: string; path: string; tmp: string }): Record<string, string> {
  return {
    PATH: base.path,
    HOME: base.home,
    USER: "root",
    LOGNAME: "root",
    SHELL: "/bin/bash",
    TMPDIR: base.tmp,
    ...COMMAND_ENVIRONMENT,
  };
}
