import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxLimits } from "./sandbox.js";

/**
 * Per-sandbox limits and kill-all through Linux cgroups: a `pids` limit contains fork bombs and a `memory` limit
 * runaway allocations, and listing the group finds every process the agent started, even daemonised ones.
 * Works where the cgroup hierarchy is writable (root, or a delegated subtree); otherwise `create` returns
 * undefined and the sandbox relies on its PID namespace and timeouts.
 */
export class CgroupLimits {
  private constructor(private readonly dirs: string[]) {}

  static create(
    name: string,
    limits: Pick<SandboxLimits, "pidsMax" | "memoryMb">,
    root = "/sys/fs/cgroup",
  ): CgroupLimits | undefined {
    const dirs: string[] = [];
    try {
      if (existsSync(join(root, "cgroup.controllers"))) {
        // cgroup v2: one group with both controllers, when the root delegates them.
        const controllers = readFileSync(join(root, "cgroup.subtree_control"), "utf8");
        if (!/\bpids\b/.test(controllers)) return undefined;
        // The controllers reach a group only through every parent's subtree_control: enable them on ours.
        const parent = join(root, "swe-review");
        mkdirSync(parent, { recursive: true });
        const wanted = ["pids", ...(/\bmemory\b/.test(controllers) ? ["memory"] : [])];
        const enabled = readFileSync(join(parent, "cgroup.subtree_control"), "utf8");
        const missing = wanted.filter((controller) => !new RegExp(`\\b${controller}\\b`).test(enabled));
        if (missing.length > 0)
          writeFileSync(join(parent, "cgroup.subtree_control"), missing.map((c) => `+${c}`).join(" "));
        const dir = join(parent, name);
        mkdirSync(dir, { recursive: true });
        dirs.push(dir);
        writeFileSync(join(dir, "pids.max"), String(limits.pidsMax));
        if (/\bmemory\b/.test(controllers))
          writeFileSync(join(dir, "memory.max"), String(limits.memoryMb * 1024 * 1024));
      } else if (existsSync(join(root, "pids", "cgroup.procs"))) {
        // cgroup v1: one group per controller.
        const pids = join(root, "pids", "swe-review", name);
        mkdirSync(pids, { recursive: true });
        dirs.push(pids);
        writeFileSync(join(pids, "pids.max"), String(limits.pidsMax));
        const memoryRoot = join(root, "memory");
        if (existsSync(join(memoryRoot, "cgroup.procs"))) {
          const memory = join(memoryRoot, "swe-review", name);
          mkdirSync(memory, { recursive: true });
          dirs.push(memory);
          writeFileSync(join(memory, "memory.limit_in_bytes"), String(limits.memoryMb * 1024 * 1024));
        }
      } else {
        return undefined;
      }
    } catch {
      for (const dir of dirs) tryRmdir(dir);
      return undefined;
    }
    return new CgroupLimits(dirs);
  }

  /** The `cgroup.procs` files a process writes its pid to, to join the groups. */
  get procsFiles(): string[] {
    return this.dirs.map((dir) => join(dir, "cgroup.procs"));
  }

  processes(): number[] {
    const first = this.dirs[0];
    if (!first) return [];
    try {
      return readFileSync(join(first, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Kills every process in the group, then removes the group. */
  async dispose(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pids = this.processes();
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const dir of this.dirs) tryRmdir(dir);
  }
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // still busy or already gone
  }
}

/**
 * The folders `CgroupLimits.create` makes sandbox groups in, those that exist: one on cgroup v2, one per controller
 * on v1. What `cache prune` looks in for groups left by a killed run.
 */
export function sandboxCgroupParents(root = "/sys/fs/cgroup"): string[] {
  return [
    join(root, "swe-review"),
    join(root, "pids", "swe-review"),
    join(root, "memory", "swe-review"),
  ].filter((dir) => existsSync(dir));
}
