import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Clock, systemClock } from "../common/clock.js";
import { SweReviewError } from "../common/errors.js";

/**
 * An exclusive lock between processes: a directory created atomically, holding the owner's pid. A lock whose
 * owner is dead, or older than `staleMs`, is taken over.
 */
export async function withDirectoryLock<T>(
  path: string,
  action: () => Promise<T>,
  options: { timeoutMs?: number; staleMs?: number; clock?: Clock } = {},
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const staleMs = options.staleMs ?? 30 * 60_000;
  const started = clock.now();
  while (!tryDirectoryLock(path, staleMs).acquired) {
    if (clock.now() - started > timeoutMs) {
      throw new SweReviewError(
        "lock_timeout",
        `Timed out waiting for ${path}; remove it if no swe-review is running.`,
      );
    }
    await clock.sleep(20 + Math.floor(Math.random() * 30));
  }
  try {
    return await action();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Takes the lock at `path` when it is free, or held by a dead process or for longer than `staleMs`; otherwise says
 * who holds it (the owner's pid, when it has written it yet).
 */
export function tryDirectoryLock(
  path: string,
  staleMs: number,
): { acquired: true } | { acquired: false; owner?: number } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "owner"), String(process.pid));
      return { acquired: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!isStale(path, staleMs)) {
        const owner = readOwner(path);
        return owner === undefined ? { acquired: false } : { acquired: false, owner };
      }
      rmSync(path, { recursive: true, force: true });
    }
  }
  return { acquired: false };
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(path, "owner"), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isStale(path: string, staleMs: number): boolean {
  try {
    const pid = Number(readFileSync(join(path, "owner"), "utf8"));
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) return true;
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    // No owner file yet: the owner is between mkdir and write, unless the lock is old.
    try {
      return Date.now() - statSync(path).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
