import { readdirSync, readFileSync } from "node:fs";

/** Parent of every process visible in /proc (inside a PID namespace: the sandbox's processes only). */
export function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
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

/**
 * Kills every process except this one and its ancestors, repeating until none is left (a fork bomb keeps making
 * new ones). Only for a supervisor alone in its own PID namespace, where /proc shows the sandbox and nothing else.
 */
export async function killAllOthers(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const parents = parentMap();
    const keep = new Set<number>();
    for (
      let pid: number | undefined = process.pid;
      pid !== undefined && pid > 0 && !keep.has(pid);
      pid = parents.get(pid)
    ) {
      keep.add(pid);
    }
    const victims = [...parents.keys()].filter((pid) => !keep.has(pid));
    if (victims.length === 0) return;
    signalAll(victims, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
