import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import { withDirectoryLock } from "../lock.js";
import { cacheRoot, touch } from "../repo-cache.js";

export function defaultSetupCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), "setup");
}

/** What identifies a setup's result: the same commands with the same environment on the same basis. */
export interface SetupKey {
  repo: string;
  /**
   * What the result depends on besides the commands and their environment: the base commit (verify's setups), or
   * `checkout-<commit>` (an agent workspace's). Never less than the commit: the commands run the checkout's own
   * code, so a result is only ever unpacked into a checkout of the commit it was made in.
   */
  basis: string;
  setup: readonly string[];
  env: Readonly<Record<string, string>>;
}

/**
 * `manifest.json` of an entry, version 1. Entries written before `basis` name it `commit`; before `created`, have
 * none; before versions, have no `version` and `createdAt` for `created_at`.
 */
const ManifestSchema = z.object({
  version: z.literal(1).optional(),
  key: z.object({
    repo: z.string(),
    basis: z.string().optional(),
    commit: z.string().optional(),
    setup: z.array(z.string()),
    env: z.record(z.string(), z.string()),
  }),
  deleted: z.array(z.string()),
  created: z.array(z.string()).default([]),
  log: z.string(),
  created_at: z.string().optional(),
});

/** A finished setup, kept: a tar of what it created or changed in the checkout, and what it deleted. */
export interface SetupCacheEntry {
  dir: string;
  archive: string;
  deleted: string[];
  /** Untracked paths the setup made (`node_modules`, `.venv`): none of them is part of a candidate. */
  created: string[];
  /** What the setup printed when it ran. */
  log: string;
}

/** What running a setup leaves for the cache: the archive (a host path; moved into the cache) and its changes. */
export interface ProducedSetup {
  archive: string;
  deleted: string[];
  created: string[];
  log: string;
}

/**
 * The results of expensive setups (dayjs's `npm install`: 35 s to a minute, 290 MB) kept per repository, base
 * commit, commands and environment, so each runs once however many candidates are verified on that base. Entries
 * are made under a lock (two workers on the same base wait for one setup) and never change once written.
 */
export class SetupCache {
  constructor(
    readonly dir: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  entryDir(key: SetupKey): string {
    const hash = createHash("sha256")
      .update(JSON.stringify([key.repo, key.basis, key.setup, Object.entries(key.env).sort()]))
      .digest("hex")
      .slice(0, 16);
    const name = `${key.repo}-${key.basis.slice(0, 12)}`.replace(/[^\w.-]/g, "_");
    return join(this.dir, `${name}-${hash}`);
  }

  /** The finished entry for `key`, if there is one. */
  find(key: SetupKey): SetupCacheEntry | undefined {
    const dir = this.entryDir(key);
    const manifestFile = join(dir, "manifest.json");
    if (!existsSync(manifestFile)) return undefined;
    try {
      const manifest = ManifestSchema.parse(JSON.parse(readFileSync(manifestFile, "utf8")));
      touch(join(dir, LAST_USED));
      return {
        dir,
        archive: join(dir, "setup.tar"),
        deleted: manifest.deleted,
        created: manifest.created,
        log: manifest.log,
      };
    } catch (error) {
      this.logger.warn({ dir, error: String(error) }, "unreadable setup cache entry; setting up again");
      return undefined;
    }
  }

  /** Finished entries, with when each was last used and whether a process holds its lock (for `cache prune`). */
  list(): Array<{ path: string; lastUsedMs: number; locked: boolean }> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => join(this.dir, name))
      .filter((path) => existsSync(join(path, "manifest.json")))
      .map((path) => {
        const marker = join(path, LAST_USED);
        return {
          path,
          lastUsedMs: statSync(existsSync(marker) ? marker : join(path, "manifest.json")).mtimeMs,
          locked: existsSync(`${path}.lock`),
        };
      });
  }

  /**
   * The entry for `key`: found, or made by `produce` (which runs the setup and archives its result) while holding
   * the key's lock. `produced` tells the caller its own checkout already holds the setup's result.
   */
  async obtain(
    key: SetupKey,
    produce: () => Promise<ProducedSetup>,
  ): Promise<{ entry: SetupCacheEntry; produced: boolean }> {
    const dir = this.entryDir(key);
    mkdirSync(this.dir, { recursive: true });
    return withDirectoryLock(
      `${dir}.lock`,
      async () => {
        const found = this.find(key);
        if (found) return { entry: found, produced: false };
        const result = await produce();
        const partial = `${dir}.partial-${process.pid}`;
        rmSync(partial, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(partial, { recursive: true });
        moveFile(result.archive, join(partial, "setup.tar"));
        const manifest: z.input<typeof ManifestSchema> = {
          version: 1,
          key: { ...key, setup: [...key.setup], env: { ...key.env } },
          deleted: result.deleted,
          created: result.created,
          log: result.log,
          created_at: new Date().toISOString(),
        };
        writeFileSync(join(partial, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        writeFileSync(join(partial, LAST_USED), "");
        renameSync(partial, dir);
        this.logger.info({ dir }, "setup cached");
        return {
          entry: {
            dir,
            archive: join(dir, "setup.tar"),
            deleted: result.deleted,
            created: result.created,
            log: result.log,
          },
          produced: true,
        };
      },
      // A first npm install can take minutes; waiting workers must outlast it.
      { timeoutMs: 60 * 60_000, staleMs: 2 * 60 * 60_000 },
    );
  }
}

const LAST_USED = "last-used";

/**
 * Moves the archive a sandbox made (once it is closed); it must be a regular file in a real folder: the folder is
 * in the sandbox's root, and a link there could point the move at any file of that name on the host (another
 * cache entry's archive).
 */
function moveFile(from: string, to: string): void {
  if (!lstatSync(dirname(from)).isDirectory() || !lstatSync(from).isFile()) {
    throw new SweReviewError(
      "setup_archive_failed",
      `The setup's archive ${from} is not a regular file in a real folder.`,
    );
  }
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}
