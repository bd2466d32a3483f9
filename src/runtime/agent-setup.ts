import { createHash } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { type SetupConfig, SetupConfigSchema, type TestConfig, TestConfigSchema } from "../config/schema.js";
import { findTestSpec } from "../harness/specs/resolve.js";
import { readAgentFile } from "../workspace/agent-file.js";
import { ignorePatterns } from "../workspace/isolated-git.js";
import { SANDBOX_PATH } from "../workspace/sandbox/bwrap.js";
import { type OpenSandboxOptions, openSandbox } from "../workspace/sandbox/open.js";
import { dependencyManifests, detectSetup } from "../workspace/setup/detect-setup.js";
import { restoreSetup, runSetup } from "../workspace/setup/run-setup.js";
import type { SetupCache } from "../workspace/setup/setup-cache.js";
import { SetupError } from "../workspace/setup/setup-error.js";
import { worktreeDependencies } from "../workspace/setup/worktree-deps.js";
import type { Workspace } from "../workspace/workspace.js";

/** How agents' workspaces are prepared (`setup:` of the configuration, `--no-setup`, `--deps-from-worktree`). */
export interface WorkspaceSetupSettings {
  /** false: the agent starts in the bare checkout. */
  enabled: boolean;
  /** The user's commands; absent: the repository's own (see `planSetup`). */
  commands?: readonly string[];
  /** Environment of the user's commands. */
  env?: Readonly<Record<string, string>>;
  /** Time limit of each command. */
  timeoutMs: number;
  /** Keeps results by their inputs; none: every workspace runs its setup. */
  cache?: SetupCache;
  /** The user's `test:` configuration, whose setup is the next choice after theirs and the repository's. */
  test?: TestConfig;
  /** A working tree whose installed `node_modules` / `.venv` are exposed read-only instead of a setup. */
  depsFrom?: string;
}

/** Which repository the workspace is of, for its test spec (a dataset instance's repository and version). */
export interface SetupSubject {
  repo?: string;
  version?: string;
}

/** Where a setup's commands came from. */
export type SetupSource = "config" | "repository" | "test-spec" | "detected";

export interface SetupPlan {
  source: SetupSource;
  commands: string[];
  env: Record<string, string>;
  /** Environment the agent's commands get afterwards (a virtualenv on PATH). */
  agentEnv: Record<string, string>;
}

/** What preparing a workspace did, and what the agent's sandbox needs for it. */
export interface AgentSetup {
  /** Added to the agent's sandbox options: environment and read-only folders. */
  sandbox: Pick<OpenSandboxOptions, "env" | "readOnly" | "readOnlyAt">;
  /** Untracked paths the setup made (`node_modules`, `.venv`): never part of a candidate's diff. */
  created: string[];
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
export const NO_SETUP: AgentSetup = { sandbox: {}, created: [], report: null };
const REPO_FILES = [".swe-review.yaml", ".swe-review.yml"];

/**
 * Prepares an agent's host workspace the way the project is built, before the agent starts: the commands run in a
 * sandbox with the network on (cached by the commands and the dependency manifests, restored in a sandbox with
 * none), and what they made is hidden from git (`.git/info/exclude`) and from the candidate's diff. With
 * `depsFrom`, nothing runs: the working tree's installed folders are mounted read-only instead. A failing command
 * throws `SetupError` (an infrastructure failure, with the output's tail), never a verdict.
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
    hideFromGit(workspace, deps.folders);
    const report = { source: "worktree" as const, commands: [], restored: false, seconds: 0 };
    logger.info(
      { from: settings.depsFrom, folders: deps.folders },
      "dependencies exposed read-only from the worktree",
    );
    return {
      sandbox: { env: deps.agentEnv, readOnly: deps.readOnly, readOnlyAt: deps.mounts },
      created: deps.folders,
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
  const run = {
    commands: plan.commands,
    env: plan.env,
    timeoutMs: settings.timeoutMs,
    sandbox: { ...sandbox, logger },
    label: subject.repo ?? "workspace",
    logger,
  };
  let created: string[];
  let restored = false;
  // A local sandbox runs at the workspace's own host path, which a cached virtualenv would not find.
  const cache = sandbox.kind === "local" ? undefined : settings.cache;
  if (cache) {
    const key = {
      repo: subject.repo ?? "workspace",
      basis: `inputs-${manifestDigest(workspace.testbed)}`,
      setup: plan.commands,
      env: plan.env,
    };
    const { entry, produced } = await cache.obtain(key, () => runSetup(workspace, { ...run, archive: true }));
    created = entry.created;
    if (!produced) {
      restored = true;
      workspace.markInUse(entry.dir);
      const box = await openSandbox(workspace, {
        ...sandbox,
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
  hideFromGit(workspace, created);
  const report = {
    source: plan.source,
    commands: plan.commands,
    restored,
    seconds: (Date.now() - started) / 1000,
  };
  logger.info(report, restored ? "workspace set up from the cache" : "workspace set up");
  return { sandbox: { env: plan.agentEnv }, created, report };
}

/**
 * The setup for a workspace, first found of: the user's commands; the `setup:` of the repository's committed
 * `.swe-review.yaml`; the setup of its test spec (the user's `test:` or the repository file's, else the built-in
 * one for the repository; a spec with no setup means none is needed); what its lockfiles say.
 */
export function planSetup(
  checkout: string,
  subject: SetupSubject,
  settings: WorkspaceSetupSettings,
  sandbox: { testbed: string; path: string },
  logger: Logger = silentLogger,
): SetupPlan | undefined {
  const plan = (source: SetupSource, commands: readonly string[], env = {}): SetupPlan => ({
    source,
    commands: [...commands],
    env: { ...env },
    agentEnv: {},
  });
  if (settings.commands) return plan("config", settings.commands, settings.env ?? {});
  const file = repositoryFile(checkout, logger);
  if (file?.setup?.commands !== undefined)
    return plan("repository", listOf(file.setup.commands), file.setup.env);
  const test = settings.test ?? file?.test;
  const spec =
    subject.repo || test
      ? findTestSpec({ repo: subject.repo ?? "local/repository", version: subject.version }, test)
      : undefined;
  if (spec) return plan("test-spec", spec.setup, spec.env);
  const detected = detectSetup(checkout, {
    ...sandbox,
    hasProgram: (name) => sandbox.path.split(delimiter).some((dir) => dir && existsSync(join(dir, name))),
  });
  if (detected.missing.length > 0) {
    logger.warn(
      { found: detected.missing },
      "dependencies found whose installer is not on this machine; not installed",
    );
  }
  return { ...plan("detected", detected.commands), agentEnv: detected.agentEnv };
}

/** The `setup:` and `test:` of the repository's committed `.swe-review.yaml`, if it has one that reads. */
function repositoryFile(
  checkout: string,
  logger: Logger,
): { setup?: Partial<SetupConfig>; test?: TestConfig } | undefined {
  for (const name of REPO_FILES) {
    const file = readAgentFile(join(checkout, name), 1024 * 1024);
    if (file.kind !== "file") continue;
    try {
      const parsed = (parseYaml(file.text) ?? {}) as Record<string, unknown>;
      const setup = SetupConfigSchema.partial().safeParse(parsed.setup ?? {});
      const test = TestConfigSchema.safeParse(parsed.test);
      if (!setup.success)
        logger.warn(
          { file: name, error: setup.error.issues[0]?.message },
          "the repository's setup: does not read; ignored",
        );
      return {
        ...(setup.success ? { setup: setup.data } : {}),
        ...(test.success ? { test: test.data } : {}),
      };
    } catch (error) {
      logger.warn(
        { file: name, error: String(error) },
        "the repository's configuration does not read; ignored",
      );
      return undefined;
    }
  }
  return undefined;
}

function listOf(commands: string | readonly string[]): string[] {
  return typeof commands === "string" ? [commands] : [...commands];
}

/** A digest of the checkout's dependency manifests and lockfiles. */
function manifestDigest(checkout: string): string {
  return createHash("sha256")
    .update(JSON.stringify(Object.entries(dependencyManifests(checkout))))
    .digest("hex")
    .slice(0, 16);
}

/**
 * Tells git in the checkout to ignore what setup made (the agent's `git status` stays clean; the candidate's
 * diff leaves it out by its own list as well).
 */
function hideFromGit(workspace: Workspace, paths: readonly string[]): void {
  if (paths.length === 0) return;
  appendFileSync(join(workspace.testbed, ".git", "info", "exclude"), ignorePatterns(paths));
}
