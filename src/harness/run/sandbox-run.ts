import { posix } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { execScript } from "../../workspace/sandbox/exec-script.js";
import type { OpenSandbox } from "../../workspace/sandbox/open.js";
import type { ExecOptions, ExecResult, PreparedEnvironment } from "./environment.js";

/** Largest command output read back (a test log beyond this is an error, not a silent cut). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** What holds a run's checkout (a host workspace, a container), disposed of once the sandbox is closed. */
export interface RunCheckout {
  /** The commit the checkout is at. */
  readonly commit: string;
  /** The checkout's host folder, when it has one (a workspace). */
  readonly hostDir?: string;
  /** Removes the checkout (the sandbox is closed by then). */
  release(): Promise<void>;
}

/**
 * A prepared checkout in a sandbox (bwrap over a host workspace, or a container). Each command runs as its own `bash -c` under the sandbox's supervisor, and
 * what it prints is read through a pipe: nothing the command starts can rewrite it afterwards (a file in the
 * sandbox's /tmp could be), and it holds only what the command itself printed.
 */
export class SandboxRun implements PreparedEnvironment {
  private disposing?: Promise<void>;
  readonly paths: { testbed: string; tmp: string };
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly checkout: RunCheckout,
    private readonly box: OpenSandbox,
    /** Set by whoever runs setup in the sandbox after it is made (the container backend). */
    public setupLog: string,
  ) {
    this.paths = { testbed: box.paths.testbed, tmp: box.paths.tmp };
  }

  get commit(): string {
    return this.checkout.commit;
  }

  /** The host folder of the workspace (kept with --keep for debugging); a container's checkout has none. */
  get workspaceDir(): string {
    if (this.checkout.hostDir === undefined)
      throw new SweReviewError(
        "internal_error",
        "This run's checkout has no host folder (it is in a container).",
      );
    return this.checkout.hostDir;
  }

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    const script = execScript(command, {
      cwd: this.paths.testbed,
      ...(options.env ? { env: options.env } : {}),
    });
    const result = await this.box.files.run(["bash", "-c", script], {
      cwd: this.paths.testbed,
      timeoutMs: options.timeoutMs,
      maxBytes: MAX_OUTPUT_BYTES,
    });
    if (result.truncated) {
      throw new SweReviewError(
        "output_too_large",
        `\`${command}\` printed more than the ${MAX_OUTPUT_BYTES} bytes a log may hold.`,
      );
    }
    // A command that fills the disk is the candidate's doing: stopped (so not resolved), and the log says why.
    const diskNote = result.killedForDisk
      ? "\n[swe-review] the command was stopped: it grew the workspace past the sandbox's disk limit (sandbox.diskMb)\n"
      : "";
    return {
      output: result.stdout + result.stderr + diskNote,
      exitCode: result.timedOut || result.killedForDisk ? null : result.exitCode,
      timedOut: result.timedOut,
    };
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.ensureDir(posix.dirname(path));
    await this.box.files.write(path, content);
  }

  /** Idempotent: an abort may dispose of the run while the verifier's own cleanup does too. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      try {
        await this.box.close();
      } finally {
        await this.checkout.release();
      }
    })();
    return this.disposing;
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    const made = await this.box.files.run(["mkdir", "-p", dir], { timeoutMs: 30_000 });
    if (made.exitCode !== 0) {
      throw new SweReviewError("sandbox_op_failed", `mkdir -p ${dir} failed in the sandbox: ${made.stderr}`);
    }
    this.madeDirs.add(dir);
  }
}
