import { systemClock } from "../common/clock.js";
import { errorMessage, InputError, SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { redactUrlsIn } from "../common/redact-url.js";
import { type Engine, engineArchitecture } from "./engine.js";
import { followPull, type PullProgress } from "./pull-stream.js";
import { PulledImages } from "./pulled-images.js";

/**
 * Images on the engine: making sure one is there (pulling it, with progress and retries), saying whether one could
 * be had (`doctor`), and removing the ones swe-review pulled (per item, `cache prune`) and never any other.
 */

/** How `ensureImage` retries a pull the registry refused for now (HTTP 429, 5xx). */
export interface PullRetry {
  /** Attempts in all, the first included. Default 4. */
  tries?: number;
  /** The wait before the second attempt; it doubles each time (plus up to 25% jitter). Default 2000 ms. */
  baseDelayMs?: number;
}

export interface EnsureImageOptions {
  /** Whether a missing image may be pulled. `false` is `--no-pull`: a missing image is an error. */
  pull: boolean;
  logger?: Logger;
  /** A human progress line, at most about once a second and at each finished layer. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
  /** Where pulls are recorded (default: the cache dir's `images/pulled.jsonl`). */
  records?: PulledImages;
  retry?: PullRetry;
}

/** What `ensureImage` did: `pulled` is false when the image was already there. */
export interface EnsuredImage {
  name: string;
  id: string;
  pulled: boolean;
}

/** `imageStatus`'s answer. `size` is in bytes: the image's on `present`, the manifest's as the registry tells it. */
export type ImageStatus =
  | { state: "present"; id: string; size?: number }
  | { state: "pullable"; size?: number }
  | { state: "missing"; why: string };

const SWE_BENCH_X86 = /^(?:(?:docker\.io|index\.docker\.io)\/)?swebench\/sweb\.eval\.x86_64\./;

/** Whether `name` is one of SWE-bench's prebuilt x86_64 images. */
export function isSweBenchX86Image(name: string): boolean {
  return SWE_BENCH_X86.test(name);
}

/**
 * Makes sure `name` is on the engine. Present: done. Missing and `pull: false`: an `InputError` naming the image and
 * `--no-pull`. Missing: pulled, reporting progress, retrying HTTP 429 and 5xx answers with exponential backoff, then
 * recorded as swe-review's (so `removeImage` and `cache prune` may remove it). Errors name the image; engine and
 * registry messages lose any URL credentials.
 */
export async function ensureImage(
  engine: Engine,
  name: string,
  options: EnsureImageOptions,
): Promise<EnsuredImage> {
  const logger = options.logger ?? silentLogger;
  const present = await inspectImage(engine, name);
  if (present) return { name, id: present.id, pulled: false };
  if (!options.pull) {
    throw new InputError(
      "image_missing",
      `Image ${name} is not on the container engine at ${engine.where}, and --no-pull forbids pulling it. ` +
        `Pull it first (docker pull ${name}), or drop --no-pull.`,
    );
  }
  const archNote = await x86OnArmNote(engine, name);
  if (archNote) {
    logger.warn({ image: name }, archNote);
    options.onProgress?.(archNote);
  }
  const tries = Math.max(1, options.retry?.tries ?? 4);
  const baseDelayMs = options.retry?.baseDelayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      logger.info({ image: name, attempt }, "pulling image");
      await followPull(
        await engine.docker.pull(name, options.signal ? { abortSignal: options.signal } : {}),
        (progress) => options.onProgress?.(progressLine(name, progress)),
      );
      break;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      const status = httpStatus(error);
      const why = redactUrlsIn(errorMessage(error));
      if (retryable(status, why) && attempt < tries) {
        const delay = Math.round(baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25));
        logger.warn({ image: name, attempt, status, delayMs: delay }, "pull refused for now, retrying");
        options.onProgress?.(`pulling ${name}: ${why}; retrying in ${(delay / 1000).toFixed(1)} s`);
        await systemClock.sleep(delay, options.signal);
        continue;
      }
      throw pullError(engine, name, status, why, attempt, archNote);
    }
  }
  const pulled = await inspectImage(engine, name);
  if (!pulled) {
    throw new SweReviewError(
      "image_pull_failed",
      `Pulling ${name} into ${engine.where} ended without an error, yet the engine does not have the image.`,
    );
  }
  (options.records ?? new PulledImages()).recordPulled(engine.where, name, pulled.id);
  logger.info({ image: name, id: pulled.id }, "pulled image");
  return { name, id: pulled.id, pulled: true };
}

/** What `removeImage` did. `why` says why nothing was removed. */
export type RemovedImage =
  | { removed: true; image: string; id: string }
  | { removed: false; image: string; why: string };

/**
 * Removes `name` from the engine if, and only if, swe-review pulled it there and it is still the image pulled (same
 * id): never an image the user had or pulled. An image a container still uses stays (no force). Used per item, once
 * an instance image is no longer needed, and by `cache prune`.
 */
export async function removeImage(
  engine: Engine,
  name: string,
  options: { records?: PulledImages } = {},
): Promise<RemovedImage> {
  const records = options.records ?? new PulledImages();
  const record = records.find(engine.where, name);
  if (!record) return { removed: false, image: name, why: "not pulled by swe-review" };
  const present = await inspectImage(engine, name);
  if (!present) {
    records.recordRemoved(engine.where, name, record.id);
    return { removed: false, image: name, why: "already gone" };
  }
  if (present.id !== record.id) {
    // Someone replaced the tag since: that image is not ours.
    records.recordRemoved(engine.where, name, record.id);
    return {
      removed: false,
      image: name,
      why: `now a different image (${present.id}), not the one swe-review pulled`,
    };
  }
  try {
    // By name: a tag swe-review pulled goes; the image goes with its last tag (another tag keeps it).
    await engine.docker.getImage(name).remove();
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) {
      records.recordRemoved(engine.where, name, record.id);
      return { removed: false, image: name, why: "already gone" };
    }
    if (status === 409) return { removed: false, image: name, why: "in use by a container" };
    throw new SweReviewError(
      "image_remove_failed",
      `Could not remove image ${name} from ${engine.where}: ${redactUrlsIn(errorMessage(error))}`,
      { cause: error },
    );
  }
  records.recordRemoved(engine.where, name, record.id);
  return { removed: true, image: name, id: record.id };
}

/**
 * Whether `name` can be had, for `doctor`: `present` on the engine; `pullable` when the registry answers the engine's
 * distribution inspect (`GET /distribution/{name}/json`); else `missing`, with the engine's reason.
 */
export async function imageStatus(engine: Engine, name: string): Promise<ImageStatus> {
  const present = await inspectImage(engine, name);
  if (present) return { state: "present", id: present.id, ...(present.size ? { size: present.size } : {}) };
  try {
    const answer = (await engine.docker.getImage(name).distribution()) as { Descriptor?: { size?: number } };
    const size = answer.Descriptor?.size;
    return { state: "pullable", ...(typeof size === "number" ? { size } : {}) };
  } catch (error) {
    const status = httpStatus(error);
    const why = redactUrlsIn(errorMessage(error));
    const note = await x86OnArmNote(engine, name).catch(() => undefined);
    if (distributionUnsupported(error)) {
      return {
        state: "missing",
        why:
          `not on the engine, and the engine at ${engine.where} cannot ask a registry about it (it does not ` +
          "implement GET /distribution/{name}/json; Podman's Docker API does not), so whether a pull would work " +
          `is unknown until one is tried${note ? `. ${note}` : ""}`,
      };
    }
    return {
      state: "missing",
      why: `not on the engine, and its registry did not answer for it${status ? ` (HTTP ${status})` : ""}: ${why}${note ? ` ${note}` : ""}`,
    };
  }
}

/** The image's id and size, or undefined when the engine does not have it. */
export async function inspectImage(
  engine: Engine,
  name: string,
): Promise<{ id: string; size?: number } | undefined> {
  try {
    const info = (await engine.docker.getImage(name).inspect()) as { Id: string; Size?: number };
    return { id: info.Id, ...(typeof info.Size === "number" ? { size: info.Size } : {}) };
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw new SweReviewError(
      "image_inspect_failed",
      `Could not look for image ${name} on ${engine.where}: ${redactUrlsIn(errorMessage(error))}`,
      { cause: error },
    );
  }
}

function progressLine(name: string, progress: PullProgress): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const bytes = progress.totalBytes > 0 ? `, ${mb(progress.doneBytes)} of ${mb(progress.totalBytes)}` : "";
  return `pulling ${name}: ${progress.layersDone}/${progress.layers} layers${bytes}`;
}

async function x86OnArmNote(engine: Engine, name: string): Promise<string | undefined> {
  if (!isSweBenchX86Image(name)) return undefined;
  const arch = await engineArchitecture(engine);
  if (arch !== "arm64") return undefined;
  return (
    `SWE-bench publishes x86_64 images only, and the engine at ${engine.where} runs on arm64: ${name} runs there ` +
    "only under x86_64 emulation (slow, if it is set up at all). Use an x86_64 machine for SWE-bench images."
  );
}

function retryable(status: number | undefined, message: string): boolean {
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return /toomanyrequests|too many requests|\b429\b|\b50[0234]\b|service unavailable|bad gateway|gateway time-?out/i.test(
    message,
  );
}

function pullError(
  engine: Engine,
  name: string,
  status: number | undefined,
  why: string,
  attempts: number,
  archNote: string | undefined,
): SweReviewError {
  const tail = archNote ? ` ${archNote}` : "";
  if (status === 404 || /not found|manifest unknown|does not exist|repository .* not found/i.test(why)) {
    return new InputError(
      "image_not_found",
      `Image ${name} was not found by the engine at ${engine.where} (${why}). Check the name and tag, or build it ` +
        `locally and run with --no-pull.${tail}`,
    );
  }
  if (status === 401 || status === 403 || /unauthorized|denied/i.test(why)) {
    return new InputError(
      "image_pull_denied",
      `The registry refused ${name} (${why}). Log the engine in to the registry (docker login), or use a public image.${tail}`,
    );
  }
  return new SweReviewError(
    "image_pull_failed",
    `Could not pull ${name} into ${engine.where} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${why}.${tail}`,
  );
}

/**
 * Whether a distribution inspect failed because the engine has no such route (Podman answers a plain `Not Found`, or
 * `Path ... is not supported`), rather than because a registry said no (Docker answers those in JSON).
 */
function distributionUnsupported(error: unknown): boolean {
  if (httpStatus(error) !== 404) return false;
  const body = (error as { json?: unknown } | undefined)?.json as { message?: unknown } | null | undefined;
  const message = body && typeof body === "object" ? body.message : undefined;
  return typeof message !== "string" || /is not supported/i.test(message);
}

/** The HTTP status of a dockerode error, or of an error line in a pull stream (`PullStreamError`). */
function httpStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}
