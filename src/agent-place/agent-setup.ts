import { closeSync, constants, lstatSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { git } from "../workspace/git.js";
import { setupExcludes } from "../workspace/isolated-git.js";
import { SANDBOX_PATH } from "../workspace/sandbox/bwrap.js";
import { type OpenSandboxOptions, openSandbox } from "../workspace/sandbox/open.js";
import { restoreSetup, runSetup } from "../workspace/setup/run-setup.js";
import { SetupError } from "../workspace/setup/setup-error.js";
import { worktreeDependencies } from "../workspace/setup/worktree-deps.js";
import type { Workspace } from "../workspace/workspace.js";
import {
  planSetup,
  type SetupPlan,
  type SetupSource,
  type SetupSubject,
  type WorkspaceSetupSettings,
} from "./setup-plan.js";

export type { SetupPlan, SetupSource, SetupSubject, WorkspaceSetupSettings };

/** What preparing a workspace did, and what the agent's sandbox needs for it. */
export interface AgentSetup {
  /** Added to the agent's sandbox options: environment and read-only folders. */
  sandbox: Pick<OpenSandboxOptions, "env" | "readOnly" | "readOnlyAt">;
  /** Untracked paths the setup made (`node_modules`, `.venv`): not part of a candidate's diff as the setup left them. */
  created: string[];
  /** When the setup was done (ms since the epoch): what changes under `created` later is the agent's. */
  doneAtMs: number;
  /** Null when nothing was set up. */
  report: SetupReport | null;
}

export interface SetupReport {
  source: SetupSource | "worktree";
  commands: string[];
  /** True when the result came from the setup cache. */
  restored: boolean;
  seconds: number;
}

/** A workspace left as checked out. */
export const NO_SETUP: AgentSetup = { sandbox: {}, created: [], doneAtMs: 0, report: null };

/**
 * Prepares an agent's host workspace the way the project is built, before the agent starts: the commands run in a
 * sandbox with the network on (cached by the base commit and the commands, restored in a sandbox with none), and
 * what they made is hidden from git (`.git/info/exclude`) and from the candidate's diff. With `depsFrom`, nothing
 * runs: the working tree's installed folders are mounted read-only instead. A failing command throws `SetupError`
 * (an infrastructure failure, with the output's tail), never a verdict.
 */
export async function prepareAgentWorkspace(
  workspace: Workspace,
  subject: SetupSubject,
  settings: WorkspaceSetupSettings,
  sandbox: OpenSandboxOptions,
  logger: Logger = silentLogger,
): Promise<AgentSetup> {
  const started = Date.now();
  const path = sandbox.kind === "local" ? (process.env.PATH ?? SANDBOX_PATH) : SANDBOX_PATH;
  const testbed = sandbox.kind === "local" ? workspace.testbed : "/testbed";
  if (settings.depsFrom) {
    const deps = worktreeDependencies(settings.depsFrom, { testbed, path });
    hideFromGit(workspace, deps.folders, logger);
    const report = { source: "worktree" as const, commands: [], restored: false, seconds: 0 };
    logger.info(
      { from: settings.depsFrom, folders: deps.folders },
      "dependencies exposed read-only from the worktree",
    );
    return {
      sandbox: { env: deps.agentEnv, readOnly: deps.readOnly, readOnlyAt: deps.mounts },
      created: deps.folders,
      doneAtMs: Date.now(),
      report,
    };
  }
  if (!settings.enabled) return NO_SETUP;
  const plan = planSetup(workspace.testbed, subject, settings, { testbed, path }, logger);
  if (!plan || plan.commands.length === 0) return NO_SETUP;
  try {
    return await runPlannedSetup(workspace, plan, settings, sandbox, subject, logger, started);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    throw new SweReviewError(
      "workspace_setup_failed",
      `Setting up the workspace (${plan.source} setup) failed, before any agent ran: ${error.message}. Fix the ` +
        "setup (setup.commands in .swe-review.yaml, or --setup-command), or pass --no-setup or --deps-from-worktree.",
      { cause: error, exitCode: 2 },
    );
  }
}

async function runPlannedSetup(
  workspace: Workspace,
  plan: SetupPlan,
  settings: WorkspaceSetupSettings,
  sandbox: OpenSandboxOptions,
  subject: SetupSubject,
  logger: Logger,
  started: number,
): Promise<AgentSetup> {
  // The setup's sandbox is the agent's (its kind, limits, read-only folders) without the agent's environment: that
  // can hold what the user passes an external agent (`--generator-env`, its API key), and the repository's own
  // commands run here with the network on.
  const { env: _agentEnv, ...setupSandbox } = sandbox;
  const run = {
    commands: plan.commands,
    env: plan.env,
    timeoutMs: settings.timeoutMs,
    sandbox: { ...setupSandbox, logger },
    label: subject.repo ?? "workspace",
    logger,
  };
  let created: string[];
  let restored = false;
  // A local sandbox runs at the workspace's own host path, which a cached virtualenv would not find.
  const cache = sandbox.kind === "local" ? undefined : settings.cache;
  if (cache) {
    // Keyed by the base commit, not by the dependency manifests alone: the commands run the repository's own code
    // (lifecycle scripts, setup.py, .npmrc, whatever they call), so another commit or repository with the same
    // lockfiles could make anything of them, and what it made would be unpacked here. (`checkout-`: never one of
    // verify's entries, which are keyed by the bare commit.)
    const key = {
      repo: subject.repo ?? "workspace",
      basis: `checkout-${workspace.commit}`,
      setup: plan.commands,
      env: plan.env,
    };
    const { entry, produced } = await cache.obtain(key, () => runSetup(workspace, { ...run, archive: true }));
    created = entry.created;
    if (!produced) {
      restored = true;
      workspace.markInUse(entry.dir);
      const box = await openSandbox(workspace, {
        ...setupSandbox,
        network: false,
        readOnly: [...(sandbox.readOnly ?? []), entry.dir],
        logger,
      });
      try {
        await restoreSetup(box, entry);
      } finally {
        await box.close();
      }
    }
  } else {
    created = (await runSetup(workspace, { ...run, archive: false })).created;
  }
  // The list comes from git in the setup's sandbox, which the setup's commands could have misled (a deleted
  // index shows every file as new): a path the base commit tracks is never taken for a setup product.
  created = await untrackedAtBase(workspace, created);
  hideFromGit(workspace, created, logger);
  const doneAtMs = await doneNow();
  const report = {
    source: plan.source,
    commands: plan.commands,
    restored,
    seconds: (Date.now() - started) / 1000,
  };
  logger.info(report, restored ? "workspace set up from the cache" : "workspace set up");
  return { sandbox: { env: plan.agentEnv }, created, doneAtMs, report };
}

/**
 * The time now, returned once it has passed for file times too: the kernel stamps files from a clock that can lag
 * by a tick, and anything written after this returns must count as later.
 */
async function doneNow(): Promise<number> {
  const now = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 30));
  return now;
}

/**
 * The paths that the base commit does not track, as a file or as a folder holding one (asked of the mirror, which
 * no sandbox ever saw). All of its files are listed once: the paths, named by the setup, can be as many as it likes.
 */
async function untrackedAtBase(workspace: Workspace, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const listed = await git(["ls-tree", "-r", "--name-only", "-z", workspace.commit], {
    cwd: workspace.mirror.path,
  });
  const tracked = new Set<string>();
  for (const file of listed.stdout.split("\0")) {
    for (let end = file.indexOf("/"); end !== -1; end = file.indexOf("/", end + 1))
      tracked.add(file.slice(0, end));
    if (file) tracked.add(file);
  }
  return paths.filter((path) => !tracked.has(path));
}

/**
 * Tells git in the checkout to ignore what setup made (the agent's `git status` stays clean; the candidate's
 * diff leaves it out by its own list as well). The setup's commands could have made `.git`, `info` or `exclude` a
 * link to anywhere on the host: only real folders are entered. Whatever they left at `exclude` is replaced, never
 * written through: a FIFO (opening it to write would block this process for good), a hard link to a tracked file,
 * or patterns of their own (a `*` would keep the agent's new files out of its candidate).
 */
function hideFromGit(workspace: Workspace, paths: readonly string[], logger: Logger): void {
  if (paths.length === 0) return;
  const info = join(workspace.testbed, ".git", "info");
  for (const dir of [join(workspace.testbed, ".git"), info]) {
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      logger.warn({ dir }, "not a folder after setup; its products are not hidden from the agent's git");
      return;
    }
  }
  const file = join(info, "exclude");
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let fd: number;
  try {
    rmSync(file, { recursive: true, force: true });
    fd = openSync(file, flags, 0o644);
  } catch (error) {
    logger.warn(
      { error: String(error) },
      "the checkout's .git/info/exclude could not be written; setup's products not hidden",
    );
    return;
  }
  try {
    writeSync(fd, setupExcludes(paths));
  } finally {
    closeSync(fd);
  }
}
