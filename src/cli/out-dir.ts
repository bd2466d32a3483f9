import { join, resolve } from "node:path";
import { markRunFolder, newRunFolder } from "../common/run-folder.js";
import { stateDir } from "../common/state-dir.js";

/** Where run folders go unless `--out` says otherwise: the user's state folder, never the working tree. */
export function defaultRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), "runs");
}

/** The `--out` help text's default, for `command`. */
export function defaultOutHelp(command: string): string {
  return `a new folder $XDG_STATE_HOME/swe-review/runs/${command}-<time>-<random>; without XDG_STATE_HOME, in ~/.local/state/swe-review/runs`;
}

/**
 * The run folder of a command: `--out` when given, else a new folder under `defaultRunsDir()`; made now and marked
 * as a run folder (so a working-tree review finds it if it is inside the repository). An absolute path.
 */
export function commandOutDir(command: string, given: string | undefined): string {
  if (given !== undefined) return markRunFolder(resolve(given), command);
  return newRunFolder(defaultRunsDir(), command);
}
