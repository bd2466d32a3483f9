import type { Command } from "commander";
import type { WorkspaceSetupSettings } from "../agent-place/agent-setup.js";
import { InputError } from "../common/errors.js";
import type { ConfigLayer } from "../config/schema.js";
import type { RepoSource } from "../workspace/repo-source.js";
import { collect } from "./option-parsers.js";

/** The flags that choose how an agent's workspace is prepared, shared by the commands that run agents. */
export interface SetupFlags {
  /** false with `--no-setup`. */
  setup?: boolean;
  setupCommand?: string[];
  depsFromWorktree?: boolean;
}

export function addSetupOptions(command: Command): Command {
  return command
    .option(
      "--setup-command <command>",
      "install the repository's dependencies with this command before the agent starts (repeatable; default: " +
        "setup.commands, else the repository's .swe-review.yaml, its test spec, or its lockfiles)",
      collect,
    )
    .option("--no-setup", "start the agent in the bare checkout: no dependencies installed")
    .option(
      "--deps-from-worktree",
      "expose the working tree's installed node_modules / .venv read-only in the workspace instead of a setup",
    );
}

/** The configuration the flags set. */
export function setupLayer(flags: SetupFlags): ConfigLayer {
  if (flags.setup === false && (flags.setupCommand || flags.depsFromWorktree)) {
    throw new InputError(
      "bad_option",
      "--no-setup turns the workspace's setup off; leave it out to use --setup-command or --deps-from-worktree.",
    );
  }
  if (flags.setupCommand && flags.depsFromWorktree) {
    throw new InputError(
      "bad_option",
      "Give either --setup-command (install in the workspace) or --deps-from-worktree (use the installed folders).",
    );
  }
  return {
    ...(flags.setup === false ? { setup: { enabled: false } } : {}),
    ...(flags.setupCommand ? { setup: { commands: flags.setupCommand } } : {}),
  };
}

/** The settings with `--deps-from-worktree`'s folder added: the repository's own working tree. */
export function withWorktreeDeps(
  settings: WorkspaceSetupSettings | undefined,
  flags: SetupFlags,
  source: RepoSource,
): WorkspaceSetupSettings | undefined {
  if (!flags.depsFromWorktree || !settings) return settings;
  if (source.kind !== "path") {
    throw new InputError(
      "bad_option",
      "--deps-from-worktree exposes a local working tree's dependencies: --repo must be a folder.",
    );
  }
  return { ...settings, depsFrom: source.path };
}
