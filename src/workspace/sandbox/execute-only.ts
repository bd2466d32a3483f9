import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";

/**
 * An execute-only copy (mode 0111) of a program: a process started from a file it may not read is not dumpable, so
 * no other process of the same user can ptrace it, open its `/proc/<pid>/mem` or take its file descriptors
 * (`pidfd_getfd`). The supervisor and the agent's shell run from such copies: code the agent runs as the same user
 * inside the sandbox cannot forge the supervisor's answers to the host or type into the shell. Made once per
 * program version.
 */
export function executeOnlyCopy(program: string, env: NodeJS.ProcessEnv = process.env): string {
  const source = realpathSync(program);
  const stat = statSync(source);
  const key = createHash("sha256")
    .update(JSON.stringify([source, stat.size, stat.mtimeMs, stat.ino]))
    .digest("hex")
    .slice(0, 16);
  const dir = runtimeDir(env);
  const copy = join(dir, `${basename(source)}-${key}`);
  if (made.has(copy) || existsSync(copy)) {
    made.add(copy);
    return copy;
  }
  mkdirSync(dir, { recursive: true });
  const partial = `${copy}.partial-${process.pid}`;
  copyFileSync(source, partial);
  chmodSync(partial, 0o111);
  renameSync(partial, copy);
  made.add(copy);
  return copy;
}

const made = new Set<string>();

/**
 * Where the copies are kept: one place per user, whatever HOME says (so a run with another HOME does not copy
 * Node again): /var/cache for root, the user's cache otherwise.
 */
function runtimeDir(env: NodeJS.ProcessEnv): string {
  if (process.getuid?.() === 0) return "/var/cache/swe-review/runtime";
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "swe-review", "runtime");
}
