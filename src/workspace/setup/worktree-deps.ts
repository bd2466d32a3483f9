import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { InputError } from "../../common/errors.js";
import type { ReadOnlyMount } from "../sandbox/bwrap-mounts.js";
import { isSystemPath } from "../sandbox/bwrap-mounts.js";

/** The dependency folders a working tree may hold, exposed by `--deps-from-worktree`. */
export const WORKTREE_DEPENDENCY_FOLDERS = ["node_modules", ".venv", "venv"];

/** A working tree's installed dependencies, as the agent's sandbox sees them. */
export interface WorktreeDependencies {
  /** The folders found (`node_modules`, `.venv`). */
  folders: string[];
  /** Read-only mounts: each folder at its place in the checkout; a virtualenv also where it was made. */
  mounts: ReadOnlyMount[];
  /** Host folders a virtualenv's interpreter lives in, exposed read-only at their own place. */
  readOnly: string[];
  /** The virtualenv on PATH, when there is one. */
  agentEnv: Record<string, string>;
}

/**
 * The dependency folders already installed in `worktree` (the user's clone), to expose read-only in the agent's
 * checkout instead of setting it up: fast, offline, exactly what the user runs. A virtualenv is also mounted at the
 * path it was made at (its scripts name their interpreter by that path), and the Python it was made from is made
 * visible when it lives outside the system folders (pyenv, a toolchain under /opt is visible already).
 */
export function worktreeDependencies(
  worktree: string,
  options: { testbed: string; path: string },
): WorktreeDependencies {
  const found: WorktreeDependencies = { folders: [], mounts: [], readOnly: [], agentEnv: {} };
  for (const name of WORKTREE_DEPENDENCY_FOLDERS) {
    const folder = join(worktree, name);
    if (!isDirectory(folder)) continue;
    const real = realpathSync(folder);
    found.folders.push(name);
    found.mounts.push({ source: real, dest: posix.join(options.testbed, name) });
    const config = join(real, "pyvenv.cfg");
    if (!existsSync(config) || found.agentEnv.VIRTUAL_ENV) continue;
    found.mounts.push({ source: real, dest: folder });
    if (real !== folder) found.mounts.push({ source: real, dest: real });
    const home = /^home\s*=\s*(.+)$/m.exec(readFileSync(config, "utf8"))?.[1]?.trim();
    if (home && existsSync(home)) {
      const prefix = dirname(realpathSync(home));
      if (!isSystemPath(prefix)) found.readOnly.push(prefix);
    }
    const venv = posix.join(options.testbed, name);
    found.agentEnv = { VIRTUAL_ENV: venv, PATH: `${venv}/bin:${options.path}` };
  }
  if (found.folders.length === 0) {
    throw new InputError(
      "deps_missing",
      `--deps-from-worktree: ${worktree} has none of ${WORKTREE_DEPENDENCY_FOLDERS.join(", ")}. Install the ` +
        "project's dependencies there first, or leave out the flag to have the workspace set up from its lockfiles.",
    );
  }
  return found;
}

/** A folder, or a link to one (a `node_modules` kept elsewhere). */
function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory() || statSync(path).isDirectory();
  } catch {
    return false;
  }
}
