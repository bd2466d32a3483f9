import { posix } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import type { OpenSandbox } from "../../workspace/sandbox/open.js";
import type { Workspace } from "../../workspace/workspace.js";
import type { ExecOptions, ExecResult, PreparedEnvironment } from "./environment.js";
import { execScript } from "./exec-script.js";

/** Largest command output read back (a test log beyond this is an error, not a silent cut). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * A prepared checkout in a sandbox: commands run in its persistent shell, their output goes to a file in the
 * sandbox's private /tmp and is read back through the sandbox (so the same code serves every backend).
 */
export class SandboxRun implements PreparedEnvironment {
  private disposing?: Promise<void>;
  readonly paths: { testbed: string; tmp: string };
  private counter = 0;
  private readonly controlDir: string;
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly box: OpenSandbox,
    readonly setupLog: string,
    private readonly keep = false,
  ) {
    this.paths = { testbed: box.paths.testbed, tmp: box.paths.tmp };
    this.controlDir = posix.join(box.paths.tmp, ".swe-review-harness");
  }

  get commit(): string {
    return this.workspace.commit;
  }

  /** The host folder of the workspace (kept with --keep for debugging). */
  get workspaceDir(): string {
    return this.workspace.dir;
  }

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    const outputFile = posix.join(this.controlDir, `exec-${++this.counter}.log`);
    await this.ensureDir(this.controlDir);
    const script = execScript(command, {
      cwd: this.paths.testbed,
      outputFile,
      ...(options.env ? { env: options.env } : {}),
    });
    const result = await this.box.shell.run(script, options.timeoutMs);
    const stat = await this.box.files.stat(outputFile);
    if (stat && stat.size > MAX_OUTPUT_BYTES) {
      throw new SweReviewError(
        "output_too_large",
        `\`${command}\` printed ${stat.size} bytes, more than the ${MAX_OUTPUT_BYTES} a log may hold.`,
      );
    }
    const output = stat ? (await this.box.files.read(outputFile, MAX_OUTPUT_BYTES)).toString("utf8") : "";
    return {
      output: output + (result.output.trim() ? result.output : ""),
      exitCode: result.timedOut ? null : result.exitCode,
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
        if (!this.keep) await this.workspace.dispose();
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
