import { basename, join } from "node:path";
import type Dockerode from "dockerode";
import { z } from "zod";
import { SweReviewError } from "../../common/errors.js";
import type { Logger } from "../../common/logger.js";
import type { Instance } from "../../data/instance.js";
import { type AgentFile, DELIVERABLE_MAX_BYTES, readAgentFile } from "../agent-file.js";
import type { Workspace } from "../workspace.js";
import { BwrapSandbox } from "./bwrap.js";
import type { ReadOnlyMount } from "./bwrap-mounts.js";
import { SandboxFiles } from "./files.js";
import { LocalSandbox } from "./local.js";
import { deliverablePath, type Sandbox, type SandboxLimits, type SandboxPaths } from "./sandbox.js";
import { deferredChannel, SandboxSession } from "./session.js";
import { PersistentShell } from "./shell.js";

/**
 * Where the agent's commands run: `bwrap` (bubblewrap: no network, only the workspace writable), `local` (on this
 * machine without isolation, for trusted code) or `docker` (a container of the instance's image).
 */
export type SandboxKind = "bwrap" | "local" | "docker";

/** How to start a sandbox; everything is optional. */
export interface OpenSandboxOptions {
  /** Default `bwrap`. `docker` sandboxes are opened in a container of the image, not by `startSandbox`. */
  kind?: SandboxKind;
  /** Let commands reach the network (workspace setup does; the agent does not). Default off. */
  network?: boolean;
  /** Resource limits; what is not given keeps its default (`DEFAULT_LIMITS`). */
  limits?: Partial<SandboxLimits>;
  /** More host paths the sandbox may read, at the same path. */
  readOnly?: string[];
  /** Host folders exposed read-only at another place in the sandbox (`bwrap` only; see `ReadOnlyMount`). */
  readOnlyAt?: readonly ReadOnlyMount[];
  /** A command printing more than this many bytes is killed; default 64 MiB. */
  maxCommandOutputBytes?: number;
  /** Extra environment for the agent's commands (never API keys unless the user passes them on purpose). */
  env?: Record<string, string>;
  logger?: Logger;
  /** The container backend's engine (`kind: "docker"`), and how an image is made present (pulled) before use. */
  container?: ContainerEngineOptions;
}

/** A container engine and how images are made present and released, for `docker` sandboxes. */
export interface ContainerEngineOptions {
  /** The engine's client. */
  docker: Dockerode;
  /** Where the engine is (credentials redacted), for messages. */
  where?: string;
  /** The image a dataset instance runs in. */
  imageFor?(instance: Instance): string;
  /** Makes the image present on the engine (pulls it when allowed; throws naming it when not). */
  prepareImage(name: string): Promise<void>;
  /** Called once the item that used the image is done (removes it when the user asked to save disk). */
  releaseImage?(name: string): Promise<void>;
  /** The image for an item: `--image`, else the dataset row's (see `instanceImageName`). */
  image?: string;
  /** The longest a container may live. */
  wallMs?: number;
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
  /**
   * Stops everything in the sandbox, then reads these deliverables (names at its root, e.g. `review_report.json`)
   * as the agent left them (see `readAgentFile`: links, FIFOs, devices and huge files are refused), and closes it.
   */
  collect(names: readonly string[], options?: CollectOptions): Promise<Record<string, AgentFile>>;
  close(): Promise<void>;
}

/** Options of `OpenSandbox.collect`. */
export interface CollectOptions {
  /**
   * Runs once nothing of the agent's runs any more and before the sandbox closes, for more reading through the
   * sandbox (a container's candidate diff). A host sandbox is already closed then: its files are on the host.
   */
  whileStopped?: () => Promise<void>;
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
  if (options.kind === "docker") {
    throw new SweReviewError(
      "internal_error",
      "A docker sandbox is opened in a container of its image (openAgentPlace), not from a host workspace.",
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
          ...(options.readOnlyAt ? { readOnlyAt: options.readOnlyAt } : {}),
        });
  const box = startFromSandbox(sandbox, options);
  return {
    ...box,
    // The host reads the workspace's private root once nothing runs in the sandbox.
    collect: async (names, collectOptions) => {
      await box.close();
      await collectOptions?.whileStopped?.();
      return Object.fromEntries(
        names.map((name) => [name, readAgentFile(join(workspace.rootfs, name), DELIVERABLE_MAX_BYTES)]),
      );
    },
  };
}

const CollectedSchema = z.record(
  z.string(),
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("file"), text: z.string(), changedAgoMs: z.number() }),
    z.object({ kind: z.literal("missing") }),
    z.object({ kind: z.literal("refused"), reason: z.string() }),
  ]),
);

/**
 * Starts any sandbox (bwrap, local, a container). Its `collect` asks the supervisor, which stops every other
 * process first and reads each deliverable by the host's rules; a sandbox that is gone yields none.
 */
export function startFromSandbox(sandbox: Sandbox, options: OpenSandboxOptions = {}): OpenSandbox {
  const ready = SandboxSession.start(sandbox, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.maxCommandOutputBytes ? { maxCommandOutputBytes: options.maxCommandOutputBytes } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  ready.catch(() => {}); // observed through `ready` and the first request
  let started: SandboxSession | undefined;
  // (A start that fails is reported through `ready`; this chain must not be an unhandled rejection.)
  void ready.then(
    (session) => {
      started = session;
    },
    () => {},
  );
  const channel = deferredChannel(ready);
  // Closed once, however many callers ask (an abort closes it early; the owner closes it again on the way out).
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const session = await ready.catch(() => undefined);
      if (session) await session.close();
      else await sandbox.dispose();
    })();
    return closing;
  };
  return {
    sandbox,
    shell: new PersistentShell(channel),
    files: new SandboxFiles(channel),
    paths: sandbox.paths,
    ready,
    lost: () => started?.lost,
    collect: async (names, collectOptions) => {
      const session = await ready.catch(() => undefined);
      const missing = Object.fromEntries(
        names.map((name): [string, AgentFile] => [name, { kind: "missing" }]),
      );
      if (!session?.alive || closing) {
        await close();
        return missing;
      }
      const paths = names.map((name) => deliverablePath(sandbox.paths, name));
      let answer: z.infer<typeof CollectedSchema>;
      try {
        answer = CollectedSchema.parse(
          await session.request("collect", { paths, maxBytes: DELIVERABLE_MAX_BYTES }),
        );
      } catch {
        await close();
        return missing;
      }
      const now = Date.now();
      try {
        await collectOptions?.whileStopped?.();
      } finally {
        await close();
      }
      return Object.fromEntries(
        names.map((name, index): [string, AgentFile] => {
          const found = answer[paths[index] as string] ?? { kind: "missing" };
          // The sandbox's clock may differ from ours: how long ago it changed is what carries over.
          return [
            name,
            found.kind === "file"
              ? { kind: "file", text: found.text, changedAtMs: now - found.changedAgoMs }
              : found,
          ];
        }),
      );
    },
    close,
  };
}
