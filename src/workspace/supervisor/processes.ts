import { readdirSync, readFileSync } from "node:fs";

interface ProcessEntry {
  ppid: number;
  /** Zombies (state Z) are dead already: waiting for their parent to reap them. */
  zombie: boolean;
}

/** Every process visible in /proc (inside a PID namespace: the sandbox's processes only), with its parent. */
function processTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(name), { ppid: Number(fields[1]), zombie: fields[0] === "Z" });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** Parent of every process visible in /proc. */
export function parentMap(): Map<number, number> {
  return new Map([...processTable()].map(([pid, entry]) => [pid, entry.ppid]));
}

/** All descendants of `root` (not including it). */
export function descendants(root: number, parents = parentMap()): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const found = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    for (const child of children.get(pid) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        stack.push(child);
      }
    }
  }
  return found;
}

export function signalAll(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** This process and its ancestors (in a PID namespace: up to its init). */
export function selfAndAncestors(parents: Map<number, number>): Set<number> {
  const keep = new Set<number>();
  for (
    let pid: number | undefined = process.pid;
    pid !== undefined && pid > 0 && !keep.has(pid);
    pid = parents.get(pid)
  ) {
    keep.add(pid);
  }
  return keep;
}

/**
 * Kills every process except this one and its ancestors, repeating until none is left (a fork bomb keeps making
 * new ones). Only for a supervisor alone in its own PID namespace, where /proc shows the sandbox and nothing else.
 */
export async function killAllOthers(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const table = processTable();
    const keep = selfAndAncestors(new Map([...table].map(([pid, entry]) => [pid, entry.ppid])));
    const victims = [...table].filter(([pid]) => !keep.has(pid));
    // Zombies too: a thread group whose leader exited shows as one while its other threads run on.
    signalAll(
      victims.map(([pid]) => pid),
      "SIGKILL",
    );
    if (victims.every(([, entry]) => entry.zombie)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The sandbox's processes, for finding strays: alone in a PID namespace, every process /proc shows; otherwise
 * (`--sandbox local`) the members of the sandbox's own cgroup, when it has one; otherwise undefined (strays cannot
 * be told from the host's other processes).
 */
export function sandboxMembers(ownPidNamespace: boolean): (() => Set<number> | undefined) | undefined {
  if (ownPidNamespace) return () => undefined;
  let procs: string | undefined;
  try {
    for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
      const [, controllers = "", path = ""] = line.split(":");
      if (!path.includes("/swe-review/")) continue;
      if (controllers.split(",").includes("pids")) procs = `/sys/fs/cgroup/pids${path}/cgroup.procs`;
      else if (controllers === "" && !procs) procs = `/sys/fs/cgroup${path}/cgroup.procs`;
    }
  } catch {
    return undefined;
  }
  if (!procs) return undefined;
  const file = procs;
  return () => {
    try {
      return new Set(readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number));
    } catch {
      return new Set();
    }
  };
}

/**
 * Kills the sandbox's strays: every process `keep` does not name (given the parent of every process). The caller
 * keeps this supervisor, its ancestors, the shell and the processes the shell vouches for (see the supervisor's
 * main); a daemon (double fork, `setsid -f`), the orphans of a finished command (reparented to the namespace's
 * init) and a process made a sibling of the shell's jobs (`clone(CLONE_PARENT)`) are strays. Zombies are killed too:
 * a thread group whose leader exited shows as one while its other threads run on. `members` limits the victims to
 * the sandbox's cgroup when there is no PID namespace (undefined: every process /proc shows). Returns how many
 * were killed.
 */
export function killStrays(
  keep: (parents: Map<number, number>) => Set<number>,
  members?: () => Set<number> | undefined,
): number {
  let killed = 0;
  // A stray may fork while it is being killed: look again until a look finds none alive (bounded: pids are limited).
  // A killed process dies when it is next scheduled, which on a loaded machine is not at once: between looks, a
  // short pause, so that it is gone (a zombie at most) before the caller goes on, not merely signalled.
  for (let round = 0; round < 50; round++) {
    if (round > 0) pause(2);
    const table = processTable();
    const kept = keep(new Map([...table].map(([pid, entry]) => [pid, entry.ppid])));
    const scope = members?.();
    const strays = [...table].filter(([pid]) => !kept.has(pid) && (scope === undefined || scope.has(pid)));
    if (strays.length > 0)
      signalAll(
        strays.map(([pid]) => pid),
        "SIGKILL",
      );
    const alive = strays.filter(([, entry]) => !entry.zombie).length;
    killed += alive;
    if (alive === 0) return killed;
  }
  return killed;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds (the supervisor's watch is synchronous). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
