import { z } from "zod";
import type { SupervisorChannel } from "./session.js";

const StatSchema = z.object({ kind: z.enum(["file", "directory", "other"]), size: z.number() }).nullable();
const ReadSchema = z.object({ base64: z.string() });
const RunSchema = z.object({
  exitCode: z.number().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  timedOut: z.boolean(),
  truncated: z.boolean(),
  killedForDisk: z.boolean(),
});

export type FileStat = z.infer<typeof StatSchema>;
export type ProgramResult = z.infer<typeof RunSchema>;

/**
 * Files as the agent sees them: every path is resolved inside the sandbox (symlinks included), so a tool working
 * through this can never reach what the sandbox hides.
 */
export class SandboxFiles {
  constructor(private readonly session: SupervisorChannel) {}

  async stat(path: string): Promise<FileStat> {
    return StatSchema.parse(await this.session.request("stat", { path }));
  }

  async read(path: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const { base64 } = ReadSchema.parse(await this.session.request("read", { path, maxBytes }));
    return Buffer.from(base64, "base64");
  }

  async write(path: string, content: string | Buffer): Promise<void> {
    const base64 = (typeof content === "string" ? Buffer.from(content, "utf8") : content).toString("base64");
    await this.session.request("write", { path, base64 });
  }

  /**
   * Runs a program (not through the shell) to completion, with a time limit and bounded output, in a process group
   * of its own: killed whole at its time limit, and nothing it started survives its exit.
   */
  async run(
    argv: string[],
    options: {
      cwd?: string;
      timeoutMs?: number;
      maxBytes?: number;
      /** Run as the supervisor (the host's setup steps in a container), not as the agent's commands run. */
      asSupervisor?: boolean;
    } = {},
  ): Promise<ProgramResult> {
    return RunSchema.parse(
      await this.session.request("run", {
        argv,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
        maxBytes: options.maxBytes ?? 16 * 1024 * 1024,
        ...(options.asSupervisor ? { asSupervisor: true } : {}),
      }),
    );
  }
}
