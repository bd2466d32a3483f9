/** What a setup did to a checkout: paths it created or changed (to archive) and tracked files it deleted. */
export interface SetupChanges {
  changed: string[];
  deleted: string[];
  /** The untracked or ignored paths among `changed`: what the setup made, as opposed to tracked files it edited. */
  created: string[];
}

/** The `git status` call whose output `parseSetupChanges` reads: untracked and ignored folders listed whole. */
export const SETUP_STATUS_ARGV = [
  "git",
  "status",
  "--porcelain=v1",
  "-z",
  "--ignored=matching",
  "--untracked-files=normal",
];

/**
 * Reads `git status --porcelain=v1 -z` output: `XY path\0`, with a second `orig\0` after renames and copies.
 * Untracked (`??`) and ignored (`!!`) entries (e.g. `node_modules/`) and modified files are changes to keep;
 * deleted tracked files are deletions to repeat.
 */
export function parseSetupChanges(status: string): SetupChanges {
  const changes: SetupChanges = { changed: [], deleted: [], created: [] };
  const fields = status.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i] as string;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3).replace(/\/$/, "");
    if (code.includes("R") || code.includes("C")) i++; // the original path follows
    if (code.includes("D")) changes.deleted.push(path);
    else {
      changes.changed.push(path);
      if (code === "??" || code === "!!") changes.created.push(path);
    }
  }
  return changes;
}
