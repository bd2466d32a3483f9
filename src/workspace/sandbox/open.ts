import { basename } from "node:path";
import type { Logger } from "../../common/logger.js";
import type { Workspace } from "../workspace.js";
import { BwrapSandbox } from "./bwrap.js";
import { SandboxFiles } from "./files.js";
import { LocalSandbox } from "./local.js";
import type { Sandbox, SandboxLimits, SandboxPaths } from "./sandbox.js";
import { deferredChannel, SandboxSession } from "./session.js";
import { PersistentShell } from "./shell.js";

export type SandboxKind = "bwrap" | "local";

export interface OpenSandboxOptions {
  kind?: SandboxKind;
  network?: boolean;
  /** Resource limits; what is not given keeps its default (`DEFAULT_LIMITS`). */
  limits?: Partial<SandboxLimits>;
  readOnly?: string[];
  maxCommandOutputBytes?: number;
  /** Extra environment for the agent's commands (never API keys unless the user passes them on purpose). */
  env?: Record<string, string>;
  logger?: Logger;
}

/** A running sandbox for one agent: its shell, its files, the paths it sees, and `close` to end everything in it. */
export interface OpenSandbox {
  sandbox: Sandbox;
  shell: PersistentShell;
  files: SandboxFiles;
  paths: SandboxPaths;
  /** Resolves once the sandbox has started; rejects with why it could not. */
  ready: Promise<SandboxSession>;
  /** Why the sandbox ended before it was closed (see `SandboxSession.lost`), or undefined. */
  lost(): string | undefined;
  close(): Promise<void>;
}

/** Starts a sandbox and waits until it runs. */
export async function openSandbox(
  workspace: Workspace,
  options: OpenSandboxOptions = {},
): Promise<OpenSandbox> {
  const box = startSandbox(workspace, options);
  await box.ready;
  return box;
}

/**
 * Starts a sandbox without waiting: the shell and files wait for it on first use, so the start overlaps the agent's
 * first model call. `ready` says whether it started (an infrastructure failure to report, not the agent's).
 */
export function startSandbox(workspace: Workspace, options: OpenSandboxOptions = {}): OpenSandbox {
  const name = basename(workspace.dir);
  if (options.kind === "local" && process.getuid?.() === 0) {
    options.logger?.warn(
      "--sandbox local runs the agent's commands as root on this machine, without isolation: use it only for code you trust",
    );
  }
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
  const ready = SandboxSession.start(sandbox, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.maxCommandOutputBytes ? { maxCommandOutputBytes: options.maxCommandOutputBytes } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  ready.catch(() => {}); // observed through `ready` and the first request
  let started: SandboxSession | undefined;
  void ready.then((session) => {
    started = session;
  });
  const channel = deferredChannel(ready);
  // Closed once, however many callers ask (an abort closes it early; the owner closes it again on the way out).
  let closing: Promise<void> | undefined;
  return {
    sandbox,
    shell: new PersistentShell(channel),
    files: new SandboxFiles(channel),
    paths: sandbox.paths,
    ready,
    lost: () => started?.lost,
    close: () => {
      closing ??= (async () => {
        const session = await ready.catch(() => undefined);
        if (session) await session.close();
        else await sandbox.dispose();
      })();
      return closing;
    },
  };
}
