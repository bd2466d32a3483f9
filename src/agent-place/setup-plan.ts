import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { type Logger, silentLogger } from "../common/logger.js";
import { SetupConfigSchema, type TestConfig, TestConfigSchema } from "../config/schema.js";
import { findTestSpec } from "../harness/specs/resolve.js";
import { readAgentFile } from "../workspace/agent-file.js";
import { detectSetup } from "../workspace/setup/detect-setup.js";
import type { SetupCache } from "../workspace/setup/setup-cache.js";

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

const REPO_FILES = [".swe-review.yaml", ".swe-review.yml"];

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

/** A `setup:` section in which every field may be absent. */
type PartialSetupConfig = z.infer<ReturnType<typeof SetupConfigSchema.partial>>;

/** The `setup:` and `test:` of the repository's committed `.swe-review.yaml`, if it has one that reads. */
function repositoryFile(
  checkout: string,
  logger: Logger,
): { setup?: PartialSetupConfig; test?: TestConfig } | undefined {
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
