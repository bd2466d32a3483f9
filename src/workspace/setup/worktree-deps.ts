import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";
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
    const config = join(real, "pyvenv.cfg");
    // The folder may be a link the repository committed, to anywhere on the host: only a virtualenv is taken for
    // one, and only a folder named node_modules for node_modules.
    if (name === "node_modules" ? basename(real) !== name : !isFile(config)) continue;
    found.folders.push(name);
    found.mounts.push({ source: real, dest: posix.join(options.testbed, name) });
    if (name === "node_modules" || found.agentEnv.VIRTUAL_ENV) continue;
    found.mounts.push({ source: real, dest: folder });
    if (real !== folder) found.mounts.push({ source: real, dest: real });
    found.readOnly.push(...interpreterFolders(readFileSync(config, "utf8")));
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

/**
 * The folders of the Python a virtualenv was made from (its `home`, `<prefix>/bin`) that are outside the system
 * folders: `<prefix>/bin` and `<prefix>/lib`, never the whole prefix. `home` is whatever `pyvenv.cfg` says: a Python
 * installed into the home folder (`~/bin/python3`) would otherwise have exposed the whole home folder, and a
 * committed `pyvenv.cfg` can name any folder.
 */
function interpreterFolders(config: string): string[] {
  const home = /^home\s*=\s*(.+)$/m.exec(config)?.[1]?.trim();
  if (!home || !isDirectory(home)) return [];
  const bin = realpathSync(home);
  if (basename(bin) !== "bin") return [];
  return [bin, join(dirname(bin), "lib")].filter((dir) => isDirectory(dir) && !isSystemPath(dir));
}

/** A regular file, not a link. */
function isFile(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** A folder, or a link to one (a `node_modules` kept elsewhere). */
function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory() || statSync(path).isDirectory();
  } catch {
    return false;
  }
}
