import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { listBaseHistories } from "../base-history.js";
import { processAlive } from "../lock.js";
import type { RepoCache } from "../repo-cache.js";
import { sandboxCgroupParents } from "../sandbox/cgroup.js";
import { OWNER_FILE, USES_FILE, WorkspaceOwnerSchema } from "../workspace.js";
import { removeCgroup, staleCgroups } from "./stale-cgroups.js";

/** Kept setup results (`bench verify`'s npm installs and the like), as `SetupCache` lists them. */
export interface SetupEntries {
  list(): Array<{ path: string; lastUsedMs: number; locked: boolean }>;
}

export interface PruneOptions {
  cache: RepoCache;
  setups?: SetupEntries;
  /** Folders workspaces are made in (on disk and on tmpfs). */
  workspaceRoots: string[];
  /** Remove mirrors, base histories and kept setups unused for this many days. */
  olderThanDays: number;
  /** Remove every mirror, base history and kept setup not in use, whatever its age. */
  all?: boolean;
  dryRun?: boolean;
  now?: number;
}

export interface PruneReport {
  mirrors: string[];
  histories: string[];
  setups: string[];
  workspaces: string[];
  /** Sandbox cgroups left by killed runs (empty, not just made, not a live workspace's). */
  cgroups: string[];
  bytes: number;
  dryRun: boolean;
}

/**
 * Frees disk: mirrors, base histories and kept setups not used for a while (never one being made, whose lock is
 * held, nor one a live workspace uses), and workspaces left behind by runs that died (their owner process is gone).
 * Also removes the sandbox cgroups such runs left (`kill -9` skips the sandbox's cleanup).
 */
export function pruneCache(options: PruneOptions): PruneReport {
  const now = options.now ?? Date.now();
  const report: PruneReport = {
    mirrors: [],
    histories: [],
    setups: [],
    workspaces: [],
    cgroups: [],
    bytes: 0,
    dryRun: options.dryRun ?? false,
  };
  const remove = (path: string, list: string[]) => {
    report.bytes += diskUsage(path);
    list.push(path);
    if (!report.dryRun) rmSync(path, { recursive: true, force: true });
  };
  const cutoff = now - options.olderThanDays * 24 * 3600 * 1000;
  const workspaces = options.workspaceRoots.flatMap((root) =>
    existsSync(root)
      ? readdirSync(root)
          .filter((name) => name.startsWith("ws-"))
          .map((name) => join(root, name))
          .filter((dir) => statSync(dir).isDirectory())
      : [],
  );
  const abandoned = workspaces.filter((dir) => isAbandoned(dir, now));
  const live = workspaces.filter((dir) => !abandoned.includes(dir));
  // What live workspaces use (a mirror whose objects a checkout borrows, a setup being unpacked) stays.
  const inUse = new Set(live.flatMap(usedBy));
  for (const mirror of options.cache.list()) {
    if (existsSync(`${mirror.path}.lock`) || inUse.has(mirror.path)) continue;
    if (options.all || mirror.lastUsedMs < cutoff) remove(mirror.path, report.mirrors);
  }
  // Half-made histories of processes that died count as unused for ever.
  for (const history of listBaseHistories(options.cache.dir)) {
    if (history.locked || inUse.has(history.path)) continue;
    if (options.all || history.lastUsedMs < cutoff) remove(history.path, report.histories);
  }
  for (const setup of options.setups?.list() ?? []) {
    if (setup.locked || inUse.has(setup.path)) continue;
    if (options.all || setup.lastUsedMs < cutoff) remove(setup.path, report.setups);
  }
  for (const dir of abandoned) remove(dir, report.workspaces);
  // A sandbox's cgroups bear its workspace's name: a live workspace's are in use even while empty.
  const liveNames = new Set(live.map((dir) => basename(dir)));
  for (const group of staleCgroups(sandboxCgroupParents(), { now, liveWorkspaces: liveNames })) {
    if (report.dryRun || removeCgroup(group)) report.cgroups.push(group);
  }
  return report;
}

function usedBy(dir: string): string[] {
  try {
    return readFileSync(join(dir, USES_FILE), "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

function isAbandoned(dir: string, now: number): boolean {
  try {
    const owner = WorkspaceOwnerSchema.safeParse(JSON.parse(readFileSync(join(dir, OWNER_FILE), "utf8")));
    return !owner.success || !processAlive(owner.data.pid);
  } catch {
    // No owner file: a workspace caught mid-creation, or from an old version; leave young ones alone.
    return now - statSync(dir).mtimeMs > 24 * 3600 * 1000;
  }
}

function diskUsage(path: string): number {
  let total = 0;
  const stack = [path];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(current, { throwIfNoEntry: false }) as ReturnType<typeof statSync>;
    } catch {
      continue;
    }
    if (!stat) continue;
    if (stat.isDirectory()) {
      for (const name of readdirSync(current)) stack.push(join(current, name));
    } else if (Number(stat.nlink) === 1) {
      // A file with other links (a history's pack shared with another, a local mirror's objects) frees nothing
      total += Number(stat.size);
    }
  }
  return total;
}
