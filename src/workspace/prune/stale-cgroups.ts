import { readdirSync, readFileSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** A sandbox's group is empty for a moment while it starts: younger ones are left alone. */
export const CGROUP_MIN_AGE_MS = 60 * 1000;

/**
 * Sandbox cgroups a run left behind when it was killed (`kill -9` skips the sandbox's cleanup): groups under
 * `parents` named after a workspace (`ws-…`: a sandbox's group bears its workspace's name) that is not live, with no
 * process in them, and not made in the last `minAgeMs`.
 */
export function staleCgroups(
  parents: readonly string[],
  options: { now: number; liveWorkspaces: ReadonlySet<string>; minAgeMs?: number },
): string[] {
  const minAgeMs = options.minAgeMs ?? CGROUP_MIN_AGE_MS;
  return parents.flatMap((parent) =>
    subgroups(parent).filter((dir) => {
      const name = dir.slice(parent.length + 1);
      if (!name.startsWith("ws-") || options.liveWorkspaces.has(name) || !isEmpty(dir)) return false;
      try {
        return options.now - statSync(dir).mtimeMs >= minAgeMs;
      } catch {
        return false; // gone meanwhile
      }
    }),
  );
}

/** Removes an empty group (and any empty groups inside it); false when a process joined it meanwhile. */
export function removeCgroup(dir: string): boolean {
  try {
    for (const child of subgroups(dir)) if (!removeCgroup(child)) return false;
    rmdirSync(dir); // cgroup folders go with rmdir, their control files with them
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

function subgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}

/** No process in the group nor in any group inside it. */
function isEmpty(dir: string): boolean {
  try {
    if (readFileSync(join(dir, "cgroup.procs"), "utf8").trim() !== "") return false;
  } catch {
    return false; // not a cgroup folder, or unreadable: not ours to remove
  }
  return subgroups(dir).every(isEmpty);
}
