import { errorMessage, SweReviewError } from "../common/errors.js";
import { redactUrlsIn } from "../common/redact-url.js";
import { isLeftOver, LABELS } from "./container-labels.js";
import type { Engine } from "./engine.js";
import { type RemovedImage, removeImage } from "./images.js";
import { PulledImages } from "./pulled-images.js";
import { runtimeBundle } from "./runtime-bundle.js";

/**
 * What runs that died leave on an engine, removed by `cache prune`: their containers (found by swe-review's labels,
 * `container-labels.ts`) and the images swe-review pulled (`pulled-images.ts`). Nothing else on the engine is touched.
 */

/** A container `pruneContainers` removed (or, in a dry run, would remove). */
export interface PrunedContainer {
  id: string;
  name: string;
  /** Its `io.swe-review.run` label. */
  run: string;
  /** The engine's state when it was removed: `running`, `exited`, … */
  state: string;
}

export interface PruneContainersOptions {
  dryRun?: boolean;
  now?: Date;
  /** Whether a pid of this host is alive (tests inject it). */
  alive?: (pid: number) => boolean;
}

/**
 * Force-removes every container labelled `io.swe-review.managed=1` that `isLeftOver` calls left over (its owner on
 * this host is dead, or its wall-time limit has passed); live runs' containers stay. Returns what was removed; a
 * container already gone by the time it is removed counts as removed.
 */
export async function pruneContainers(
  engine: Engine,
  options: PruneContainersOptions = {},
): Promise<PrunedContainer[]> {
  const containers = await engine.docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.managed}=1`] },
  });
  const removed: PrunedContainer[] = [];
  for (const container of containers) {
    if (!isLeftOver(container.Labels, options.now, options.alive)) continue;
    const entry: PrunedContainer = {
      id: container.Id,
      name: (container.Names?.[0] ?? "").replace(/^\//, ""),
      run: container.Labels?.[LABELS.run] ?? "",
      state: container.State ?? "",
    };
    if (!options.dryRun) {
      try {
        await engine.docker.getContainer(container.Id).remove({ force: true, v: true });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) {
          throw new SweReviewError(
            "container_remove_failed",
            `Could not remove left-over container ${entry.name || entry.id} on ${engine.where}: ${redactUrlsIn(errorMessage(error))}`,
            { cause: error },
          );
        }
      }
    }
    removed.push(entry);
  }
  return removed;
}

export interface PrunePulledImagesOptions {
  /** Keep images pulled at or after this time (`cache prune --older-than`); every pulled image when omitted. */
  pulledBefore?: Date;
  dryRun?: boolean;
  records?: PulledImages;
}

/**
 * Removes the images swe-review pulled into this engine (per its record), pulled before `pulledBefore` when given.
 * Images a container still uses stay. Returns each image's outcome; in a dry run, those that would be tried.
 */
export async function prunePulledImages(
  engine: Engine,
  options: PrunePulledImagesOptions = {},
): Promise<RemovedImage[]> {
  const records = options.records ?? new PulledImages();
  const cutoff = options.pulledBefore?.getTime();
  const due = records
    .list(engine.where)
    .filter((entry) => cutoff === undefined || Date.parse(entry.pulledAt) < cutoff);
  if (options.dryRun) return due.map((entry) => ({ removed: true, image: entry.image, id: entry.id }));
  const outcomes: RemovedImage[] = [];
  for (const entry of due) outcomes.push(await removeImage(engine, entry.image, { records }));
  return outcomes;
}

/** What `cache prune` did on the container engine. */
export interface EnginePruneReport {
  /** `Engine.where`, or null when no engine was reachable. */
  engine: string | null;
  /** Why nothing was done on an engine, in one line; absent when an engine was reached. */
  skipped?: string;
  containers: PrunedContainer[];
  /** Images swe-review pulled that were removed (in a dry run: would be). */
  images: string[];
  /** Pulled images that stayed, and why (in use by a container, …). */
  imagesKept: Array<{ image: string; why: string }>;
  /** Runtime volumes of other builds of swe-review that no container uses, removed (dry run: would be). */
  volumes: string[];
}

/**
 * `cache prune`'s part on the engine: left-over containers and pulled images, on the engine `findEngine` finds.
 * No engine, or one that does not answer, is not an error: the report says so and nothing is done.
 */
export async function pruneEngine(
  find: () => Engine,
  check: (engine: Engine) => Promise<void>,
  options: { pulledBefore?: Date; dryRun?: boolean; records?: PulledImages } = {},
): Promise<EnginePruneReport> {
  let engine: Engine;
  try {
    engine = find();
    await check(engine);
  } catch (error) {
    const why = redactUrlsIn(errorMessage(error)).split(". ")[0] ?? "";
    return { engine: null, skipped: why, containers: [], images: [], imagesKept: [], volumes: [] };
  }
  const containers = await pruneContainers(engine, options.dryRun ? { dryRun: true } : {});
  const outcomes = await prunePulledImages(engine, options);
  const volumes = await pruneRuntimeVolumes(engine, options.dryRun ?? false);
  return {
    engine: engine.where,
    containers,
    images: outcomes.filter((outcome) => outcome.removed).map((outcome) => outcome.image),
    imagesKept: outcomes.flatMap((outcome) =>
      outcome.removed ? [] : [{ image: outcome.image, why: outcome.why }],
    ),
    volumes,
  };
}

/**
 * Removes the runtime volumes (`swe-review-runtime-<hash>`) of other builds of swe-review: each build fills one of
 * its own. The current build's stays; one a container still uses cannot be removed and stays too.
 */
export async function pruneRuntimeVolumes(engine: Engine, dryRun: boolean): Promise<string[]> {
  let current: string | undefined;
  try {
    current = `swe-review-runtime-${runtimeBundle().hash}`;
  } catch {
    current = undefined; // no bundle on this machine: every unused one goes
  }
  const { Volumes } = await engine.docker.listVolumes({ filters: { label: [`${LABELS.managed}=1`] } });
  const removed: string[] = [];
  for (const volume of Volumes ?? []) {
    if (!volume.Name.startsWith("swe-review-runtime-") || volume.Name === current) continue;
    if (dryRun) {
      removed.push(volume.Name);
      continue;
    }
    try {
      await engine.docker.getVolume(volume.Name).remove();
      removed.push(volume.Name);
    } catch {
      // in use by a container: it stays
    }
  }
  return removed;
}
