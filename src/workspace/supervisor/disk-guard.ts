import { chmodSync, lstatSync, readdirSync, readFileSync, statfsSync } from "node:fs";

export interface DiskGuardOptions {
  /** The folders the agent writes to that live on disk (the checkout, the private root). */
  roots: string[];
  /** How much they may grow, in bytes, over what they held when the sandbox started. */
  limitBytes: number;
}

/** What a check found. */
export interface DiskCheck {
  /**
   * Bytes the folders grew by since the sandbox started: allocated blocks (sparse files count as written), and at
   * least `MIN_ENTRY_BYTES` for every file or folder, so a flood of empty files runs into the limit too (inodes).
   */
  grownBytes: number;
  limitBytes: number;
  /** Past the limit. */
  over: boolean;
  /** Grew since the previous measurement: a command running now is adding to it. */
  growing: boolean;
}

/**
 * Watches how much an agent adds to its workspace on disk. Measuring means walking the folders (a few ms for a
 * checkout of 2,000 files, tens of ms for large ones), so a check walks only when the file system's own count of
 * used blocks (one `statfs`, microseconds) moved by more than a step since the last walk; checks are cheap enough to
 * make after every command and twice a second while one runs.
 */
export class DiskGuard {
  private readonly skip: Set<string>;
  private readonly baseline: number;
  private readonly step: number;
  private lastUsage: number;
  private fsUsedAtWalk: number;
  private last: DiskCheck;

  constructor(private readonly options: DiskGuardOptions) {
    // Other mounts under the roots (system folders, /tmp, /proc, the roots inside one another) are not the agent's
    // disk, or are counted as roots of their own.
    this.skip = mountPoints();
    this.step = Math.min(64 * 1024 * 1024, Math.max(1024 * 1024, Math.floor(options.limitBytes / 8)));
    this.baseline = this.usage();
    this.lastUsage = this.baseline;
    this.fsUsedAtWalk = this.fsUsed();
    this.last = { grownBytes: 0, limitBytes: options.limitBytes, over: false, growing: false };
  }

  check(): DiskCheck {
    const fsUsed = this.fsUsed();
    // A walk costs in proportion to what it walks: walk again only after a change worth an eighth of it.
    const step = Math.max(this.step, Math.floor(this.lastUsage / 8));
    if (Math.abs(fsUsed - this.fsUsedAtWalk) < step) return { ...this.last, growing: false };
    const usage = this.usage();
    this.fsUsedAtWalk = fsUsed;
    const grownBytes = usage - this.baseline;
    this.last = {
      grownBytes,
      limitBytes: this.options.limitBytes,
      over: grownBytes > this.options.limitBytes,
      growing: usage > this.lastUsage,
    };
    this.lastUsage = usage;
    return this.last;
  }

  /** The file system's own count of what is used (blocks, and inodes at their minimum cost): one statfs. */
  private fsUsed(): number {
    let used = 0;
    for (const root of this.options.roots) {
      try {
        const stats = statfsSync(root);
        used += (stats.blocks - stats.bfree) * stats.bsize + (stats.files - stats.ffree) * MIN_ENTRY_BYTES;
      } catch {
        // gone: counts as nothing
      }
    }
    return used;
  }

  /** Allocated bytes under the roots, not crossing into other mounts, hard links counted once. */
  private usage(): number {
    let total = 0;
    const seen = new Set<string>();
    const stack = [...this.options.roots];
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      const names = listFolder(dir);
      for (const name of names) {
        const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
        if (this.skip.has(path)) continue;
        let stat: ReturnType<typeof lstatSync>;
        try {
          stat = lstatSync(path);
        } catch {
          continue;
        }
        if (stat.nlink > 1 && !stat.isDirectory()) {
          const key = `${stat.dev}:${stat.ino}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        total += Math.max(stat.blocks * 512, MIN_ENTRY_BYTES);
        if (stat.isDirectory()) stack.push(path);
      }
    }
    return total;
  }
}

/** What a file or folder costs at least: an inode is disk too. */
const MIN_ENTRY_BYTES = 16 * 1024;

/**
 * A folder's entries. A folder the agent made unreadable (`chmod 300`) is made readable again first: the sandbox's
 * user owns it, and what cannot be listed cannot be counted.
 */
function listFolder(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EACCES") return [];
  }
  try {
    chmodSync(dir, (lstatSync(dir).mode & 0o7777) | 0o700);
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every mount point this process sees (`/proc/self/mountinfo`'s fifth field, octal escapes decoded). */
function mountPoints(): Set<string> {
  const points = new Set<string>();
  try {
    for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
      const field = line.split(" ")[4];
      if (field)
        points.add(
          field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
            String.fromCharCode(Number.parseInt(octal, 8)),
          ),
        );
    }
  } catch {
    // no /proc: nothing to skip
  }
  return points;
}
