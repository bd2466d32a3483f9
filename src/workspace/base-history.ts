import {
  copyFileSync,
  existsSync,
  linkSync,
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
import { type Logger, silentLogger } from "../common/logger.js";
import { firstAncestorIn, packHistory } from "./history-pack.js";
import { processAlive, withDirectoryLock } from "./lock.js";
import { LAST_USED, type Mirror, touch } from "./repo-cache.js";

/**
 * The history of one base commit: a git object store holding every object reachable from the commit and nothing
 * else. Checkouts at that base borrow it (git alternates) and the sandbox sees it read-only, so no later commit,
 * branch, tag or stray object of the mirror can be read from inside, by git or by parsing files.
 *
 * ```
 * <cache>/<mirror>.history/<commit>/objects/pack/   the packs (shared with the sandbox)
 * <cache>/<mirror>.history/<commit>/layers.json     which pack holds which part of the history
 * ```
 */
export interface BaseHistory {
  commit: string;
  /** Its cache folder (with its lock beside it and its last-used marker inside). */
  path: string;
  /** The object store (`objects/`) checkouts borrow. */
  objectsDir: string;
}

/** A history in the cache (for `cache list` and `cache prune`). */
export interface BaseHistoryEntry {
  path: string;
  commit: string;
  lastUsedMs: number;
  /** Being made or used by a process that holds its lock. */
  locked: boolean;
  /** False for a half-made one (`<commit>.partial-<pid>`): being made, or left by a process that died. */
  complete: boolean;
}

const LAYERS_FILE = "layers.json";

/**
 * `layers.json`, version 1. A history is a few packs, oldest first: each holds what its tip's history adds to the
 * packs before it (every tip is an ancestor of the commit). Packs of an ancestor's history are hard links. Read back
 * with `LayersReadSchema`.
 */
const LayersSchema = z.object({
  version: z.literal(1),
  commit: z.string(),
  layers: z
    .array(
      z.object({
        pack: z.string().regex(/^pack-[0-9a-f]+$/),
        tip: z.string(),
        bytes: z.number().int().nonnegative(),
      }),
    )
    .min(1),
  created_at: z.string(),
});
type Layer = z.infer<typeof LayersSchema>["layers"][number];

/** `layers.json` as read back: this release's, or one written with `createdAt` before records were snake_case. */
const LayersReadSchema = z.union([
  LayersSchema,
  LayersSchema.omit({ created_at: true })
    .extend({ createdAt: z.string() })
    .transform(({ createdAt, ...same }) => ({ ...same, created_at: createdAt })),
]);

const COMMIT_NAME = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The folder holding the histories made from `mirror`. */
export function historiesDir(mirror: Mirror): string {
  return `${mirror.path.replace(/\.git$/, "")}.history`;
}

/** Where the history of `commit` is kept (made by `provideBaseHistory`). */
export function baseHistoryOf(mirror: Mirror, commit: string): BaseHistory {
  const path = join(historiesDir(mirror), commit);
  return { commit, path, objectsDir: join(path, "objects") };
}

/**
 * Makes sure `history` exists: found in the cache (the common case: a lookup), or packed from the mirror under its
 * lock, so many workers at the same base wait for one of them. Marks it used.
 */
export async function provideBaseHistory(
  mirror: Mirror,
  history: BaseHistory,
  logger: Logger = silentLogger,
): Promise<void> {
  if (!existsSync(join(history.path, LAYERS_FILE))) {
    mkdirSync(dirname(history.path), { recursive: true });
    await withDirectoryLock(
      `${history.path}.lock`,
      async () => {
        if (!existsSync(join(history.path, LAYERS_FILE))) await makeHistory(mirror, history, logger);
      },
      // Packing a large repository's history can take minutes: waiting workers must outlast it.
      { timeoutMs: 60 * 60_000, staleMs: 2 * 60 * 60_000 },
    );
  }
  touch(join(history.path, LAST_USED));
}

/** Every history in `cacheDir`, half-made ones included. */
export function listBaseHistories(cacheDir: string): BaseHistoryEntry[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir)
    .filter((name) => name.endsWith(".history"))
    .flatMap((group) => {
      const dir = join(cacheDir, group);
      try {
        return readdirSync(dir).flatMap((name) => historyEntry(dir, name));
      } catch {
        return []; // removed meanwhile
      }
    });
}

function historyEntry(dir: string, name: string): BaseHistoryEntry[] {
  const path = join(dir, name);
  const partial = /^([0-9a-f]+)\.partial-(\d+)$/.exec(name);
  if (partial?.[1] && partial[2]) {
    // Any prune may remove one whose maker is gone, whatever its age.
    const locked = processAlive(Number(partial[2]));
    return [{ path, commit: partial[1], lastUsedMs: 0, locked, complete: false }];
  }
  if (!COMMIT_NAME.test(name)) return []; // locks
  try {
    const marker = join(path, LAST_USED);
    const lastUsedMs = statSync(existsSync(marker) ? marker : path).mtimeMs;
    return [{ path, commit: name, lastUsedMs, locked: existsSync(`${path}.lock`), complete: true }];
  } catch {
    return [];
  }
}

/** Packs the history into `<path>.partial-<pid>` and renames it into place: a history is whole or absent. */
async function makeHistory(mirror: Mirror, history: BaseHistory, logger: Logger): Promise<void> {
  const dir = dirname(history.path);
  // We hold the lock: half-made histories of this commit are leftovers of processes that died.
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${history.commit}.partial-`))
      rmSync(join(dir, name), { recursive: true, force: true });
  }
  const partial = `${history.path}.partial-${process.pid}`;
  const packDir = join(partial, "objects", "pack");
  mkdirSync(packDir, { recursive: true });
  try {
    const started = Date.now();
    const kept = await reuseAncestorLayers(mirror, history.commit, packDir, logger);
    const pack = await packHistory(mirror.path, history.commit, kept.at(-1)?.tip, packDir);
    const layers: Layer[] = [
      ...kept,
      { pack, tip: history.commit, bytes: statSync(join(packDir, `${pack}.pack`)).size },
    ];
    const record: z.infer<typeof LayersSchema> = {
      version: 1,
      commit: history.commit,
      layers,
      created_at: new Date().toISOString(),
    };
    writeFileSync(join(partial, LAYERS_FILE), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(history.path, { recursive: true, force: true }); // a folder without its layer list is not a history
    renameSync(partial, history.path);
    logger.info(
      {
        history: history.path,
        reused: kept.length,
        newPackBytes: layers.at(-1)?.bytes,
        ms: Date.now() - started,
      },
      "base history packed",
    );
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Hard-links into `packDir` the packs of the nearest ancestor's history worth keeping, and returns them; the new
 * pack then holds only what they lack. None when no ancestor has a history (or it was pruned meanwhile): the new
 * pack holds the whole history.
 */
async function reuseAncestorLayers(
  mirror: Mirror,
  commit: string,
  packDir: string,
  logger: Logger,
): Promise<Layer[]> {
  const dir = historiesDir(mirror);
  const made = new Set(
    readdirSync(dir).filter(
      (name) => COMMIT_NAME.test(name) && name !== commit && existsSync(join(dir, name, LAYERS_FILE)),
    ),
  );
  const ancestor = await firstAncestorIn(mirror.path, commit, made);
  if (!ancestor) return [];
  const kept = geometricPrefix(readLayers(join(dir, ancestor)));
  try {
    for (const layer of kept) linkPack(join(dir, ancestor, "objects", "pack"), layer.pack, packDir);
    return kept;
  } catch (error) {
    logger.debug(
      { ancestor, error: String(error) },
      "ancestor's history unusable; packing the whole history",
    );
    for (const name of readdirSync(packDir)) rmSync(join(packDir, name), { force: true });
    return [];
  }
}

function readLayers(path: string): Layer[] {
  try {
    return LayersReadSchema.parse(JSON.parse(readFileSync(join(path, LAYERS_FILE), "utf8"))).layers;
  } catch {
    return []; // unreadable or pruned meanwhile: nothing to reuse
  }
}

/**
 * The ancestor's packs to keep: those each at least twice the size of all the packs after it together. The rest
 * are packed again with the new commits, so a chain of bases keeps a few packs (logarithmic in its length), not one
 * per base, and each object is packed again only a few times.
 */
export function geometricPrefix<T extends { bytes: number }>(layers: readonly T[]): T[] {
  let after = layers.reduce((sum, layer) => sum + layer.bytes, 0);
  const kept: T[] = [];
  for (const layer of layers) {
    after -= layer.bytes;
    if (layer.bytes < 2 * after) break;
    kept.push(layer);
  }
  return kept;
}

/** Hard-links a pack and its index (a copy where links are not possible); throws when the pack is gone. */
function linkPack(fromDir: string, pack: string, toDir: string): void {
  const files = readdirSync(fromDir).filter((name) => name.startsWith(`${pack}.`));
  if (!files.includes(`${pack}.pack`) || !files.includes(`${pack}.idx`)) {
    throw new Error(`${pack} is missing from ${fromDir}`);
  }
  for (const name of files) {
    try {
      linkSync(join(fromDir, name), join(toDir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
      copyFileSync(join(fromDir, name), join(toDir, name));
    }
  }
}
