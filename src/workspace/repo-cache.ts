import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import { InputError, SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { git, gitSucceeds } from "./git.js";
import { withDirectoryLock } from "./lock.js";
import { describeSource, type RepoSource } from "./repo-source.js";

/**
 * A cached bare mirror of a repository. It is never shown to agents: checkouts borrow the objects of their base's
 * history, packed from it (`base-history.ts`).
 */
export interface Mirror {
  path: string;
  objectsDir: string;
  source: RepoSource;
}

/** The file whose modification time says when a cached folder was last used (`cache prune` reads it). */
export const LAST_USED = "swe-review-last-used";

/** swe-review's folder in the user's cache folder: `$XDG_CACHE_HOME/swe-review`, or `~/.cache/swe-review`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "swe-review");
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), "repos");
}

/**
 * One bare mirror per repository, created on first use and fetched when a commit is missing. `dir` may be relative:
 * it is resolved against the working folder once, here (git runs in other folders).
 */
export class RepoCache {
  readonly dir: string;

  constructor(
    dir: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.dir = resolve(dir);
  }

  mirrorPath(source: RepoSource): string {
    const origin = describeSource(source);
    const name =
      basename(origin.replace(/\/+$/, ""))
        .replace(/\.git$/, "")
        .replace(/[^\w.-]/g, "_") || "repo";
    const hash = createHash("sha256").update(origin).digest("hex").slice(0, 10);
    return join(this.dir, `${name}-${hash}.git`);
  }

  /** The mirror of `source`, holding `rev` (a commit, branch or tag): cloned or fetched as needed. */
  async mirrorWith(source: RepoSource, rev: string): Promise<{ mirror: Mirror; commit: string }> {
    const path = this.mirrorPath(source);
    mkdirSync(this.dir, { recursive: true });
    // Revisions like HEAD~1 mean the user's clone as it is now, not as it was when it was mirrored.
    const wanted = source.kind === "path" ? await resolveInSource(source.path, rev) : rev;
    // The common case, a mirror that already has the commit, needs no lock: reading a repository is safe while
    // another process fetches into it.
    if (existsSync(path)) {
      const commit = knownCommits.has(`${path}\0${wanted}`) ? wanted : await resolveCommit(path, wanted);
      if (commit) {
        if (commit === wanted) knownCommits.add(`${path}\0${commit}`);
        touch(join(path, LAST_USED));
        return { mirror: { path, objectsDir: join(path, "objects"), source }, commit };
      }
    }
    return withDirectoryLock(`${path}.lock`, async () => {
      if (!existsSync(path)) {
        // A mirror made again (pruned meanwhile) may not hold what the old one did.
        for (const known of knownCommits) if (known.startsWith(`${path}\0`)) knownCommits.delete(known);
        await this.clone(source, path);
      }
      let commit = await resolveCommit(path, wanted);
      if (!commit) {
        this.logger.info({ mirror: path }, "commit not in the cached mirror; fetching");
        await git(["fetch", "--quiet", "--prune", "--tags", "origin", "+refs/*:refs/*"], { cwd: path });
        commit = await resolveCommit(path, wanted);
      }
      if (!commit) {
        throw new InputError(
          "revision_missing",
          `Revision '${rev}' does not exist in ${describeSource(source)}. Check the commit or fetch it into that repository.`,
        );
      }
      touch(join(path, LAST_USED));
      return { mirror: { path, objectsDir: join(path, "objects"), source }, commit };
    });
  }

  private async clone(source: RepoSource, path: string): Promise<void> {
    const origin = describeSource(source);
    if (source.kind === "path" && !(await gitSucceeds(["rev-parse", "--git-dir"], { cwd: source.path }))) {
      throw new InputError("repo_not_git", `${source.path} is not a git repository (no .git found).`);
    }
    const partial = `${path}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    this.logger.info({ source: origin }, "creating cached mirror");
    try {
      await git(["clone", "--mirror", "--quiet", origin, partial]);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw new SweReviewError(
        "repo_clone_failed",
        `Cannot mirror ${origin}: ${(error as Error).message}. ` +
          "If the network is unavailable, point at a local clone with --repo owner/name=/path/to/clone.",
        { cause: error },
      );
    }
    // Base histories are packed from these objects: never garbage-collect or prune them underneath a packing.
    await git(["config", "gc.auto", "0"], { cwd: partial });
    await git(["config", "gc.pruneExpire", "never"], { cwd: partial });
    renameSync(partial, path);
  }

  /** Mirrors, with when each was last used (for `swe-review cache prune`). */
  list(): Array<{ path: string; lastUsedMs: number }> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => name.endsWith(".git"))
      .map((name) => {
        const path = join(this.dir, name);
        const marker = join(path, LAST_USED);
        return { path, lastUsedMs: statSync(existsSync(marker) ? marker : path).mtimeMs };
      });
  }
}

/**
 * Full commit hashes found in a mirror by this process: a mirror never loses a commit (gc is off), so the next
 * workspace at the same base needs no `git rev-parse` (a spawn, costly from a large process, per review).
 */
const knownCommits = new Set<string>();

async function resolveInSource(repo: string, rev: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(rev)) return rev; // a full hash means the same everywhere
  const commit = await resolveCommit(repo, rev);
  if (commit) return commit;
  // Not known to the clone (e.g. a commit only upstream has): let the mirror try.
  return rev;
}

async function resolveCommit(repo: string, rev: string): Promise<string | undefined> {
  try {
    const { stdout } = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: repo });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Marks a use of a cached folder (its last-used file), best effort: an entry on a read-only or full disk is still
 * good to use.
 */
export function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    try {
      writeFileSync(path, "");
    } catch {
      // not marked: `cache prune` may take it for older than it is
    }
  }
}
