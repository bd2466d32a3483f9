import { homedir } from "node:os";
import { join } from "node:path";

/**
 * swe-review's folder in the user's state folder: `$XDG_STATE_HOME/swe-review`, else `~/.local/state/swe-review`.
 * Outputs that have no place of their own go here, never into the repository a command works on.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state"), "swe-review");
}
