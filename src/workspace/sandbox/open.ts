import { basename } from "node:path";
import type { Logger } from "../../common/logger.js";
import type { Workspace } from "../workspace.js";
import { BwrapSandbox } from "./bwrap.js";
import { SandboxFiles } from "./files.js";
import { LocalSandbox } from "./local.js";
import type { Sandbox, SandboxLimits, SandboxPaths } from "./sandbox.js";
import { SandboxSession } from "./session.js";
import { PersistentShell } from "./shell.js";

export type SandboxKind = "bwrap" | "local";

export interface OpenSandboxOptions {
  kind?: SandboxKind;
  network?: boolean;
  limits?: SandboxLimits;
  readOnly?: string[];
  maxCommandOutputBytes?: number;
  /** Extra environment for the agent's commands (never API keys unless the user passes them on purpose). */
  env?: Record<string, string>;
  logger?: Logger;
}

/** A running sandbox for one agent: its shell, its files, the paths it sees, and `close` to end everything in it. */
export interface OpenSandbox {
  sandbox: Sandbox;
  session: SandboxSession;
  shell: PersistentShell;
  files: SandboxFiles;
  paths: SandboxPaths;
  close(): Promise<void>;
}

export async function openSandbox(
  workspace: Workspace,
  options: OpenSandboxOptions = {},
): Promise<OpenSandbox> {
  const name = basename(workspace.dir);
  const sandbox: Sandbox =
    options.kind === "local"
      ? new LocalSandbox(workspace.layout(), { name, ...(options.limits ? { limits: options.limits } : {}) })
      : new BwrapSandbox({
          layout: workspace.layout(),
          name,
          ...(options.network ? { network: true } : {}),
          ...(options.limits ? { limits: options.limits } : {}),
          ...(options.readOnly ? { readOnly: options.readOnly } : {}),
        });
  const session = await SandboxSession.start(sandbox, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.maxCommandOutputBytes ? { maxCommandOutputBytes: options.maxCommandOutputBytes } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  return {
    sandbox,
    session,
    shell: new PersistentShell(session),
    files: new SandboxFiles(session),
    paths: sandbox.paths,
    close: () => session.close(),
  };
}
