import { errorMessage } from "../common/errors.js";
import { checkEngine, ENGINE_HELP, engineArchitecture, findEngine } from "../containers/engine.js";
import { type ImageStatus, imageStatus, isSweBenchX86Image } from "../containers/images.js";
import type { Instance } from "../data/instance.js";
import { sweBenchRunSpec } from "../harness/swe-bench/run-specs.js";
import { type Check, type CheckOutcome, type CheckResult, runChecks } from "./check.js";
import {
  describeDataset,
  type InstanceImage,
  type InstanceReadiness,
  readinessOf,
  readinessOutcome,
} from "./dataset-checks.js";

/**
 * What `doctor --sandbox docker` asks of a container engine: where it is, its architecture, and whether an image is
 * there, could be pulled, or neither. Injected, so the checks run against a table of answers in tests. Nothing here
 * pulls.
 */
export interface ImageLookup {
  /** Where the engine is (`unix:///run/podman/podman.sock`), for messages. */
  where: string;
  /** The engine's CPU architecture as Go names it (`amd64`, `arm64`). */
  architecture(): Promise<string>;
  /** The image's state; `size` (bytes) on `pullable` is what a pull downloads, when known. */
  status(name: string): Promise<ImageStatus>;
}

/** What the container checks work on. */
export interface ContainerDoctorContext {
  instances: readonly Instance[];
  /** The image an instance runs in (`imageForInstance` with the configuration's `sandbox.docker`). */
  imageFor(instance: Instance): string;
  /** The engine, once it answers; throws (saying what was tried and how to get one) when there is none. */
  connect(): Promise<ImageLookup>;
  /** Image lookups at once. Default 8. */
  concurrency?: number;
}

/** `doctor --dataset --sandbox docker`'s report: the dataset doctor's, plus the pulls' total. */
export interface ContainerDoctorReport {
  results: CheckResult[];
  instances: InstanceReadiness[];
  healthy: boolean;
  sandbox: "docker";
  /** False when no engine answered (the CLI exits 3 then). */
  engine_found: boolean;
  /** Bytes the images that need a pull download, over those whose size is known. */
  pull_bytes: number;
  /** Images that need a pull whose size is not known (not in `pull_bytes`). */
  pull_sizes_unknown: number;
}

/** Instance id → why it cannot run, or what it needs first. */
type Reasons = Record<string, string>;

/** The engine, found and pinged as every `--sandbox docker` command finds it; never pulls. */
export async function engineImageLookup(env: NodeJS.ProcessEnv = process.env): Promise<ImageLookup> {
  const engine = findEngine(env);
  await checkEngine(engine, { timeoutMs: 10_000 });
  return {
    where: engine.where,
    architecture: () => engineArchitecture(engine),
    status: async (name) => {
      const status = await imageStatus(engine, name);
      // The engine's distribution inspect sizes the manifest (a few KB), not the layers a pull downloads: no use
      // for a disk estimate, so a pullable image's size stays unknown here.
      return status.state === "pullable" ? { state: "pullable" } : status;
    },
  };
}

/**
 * `swe-review doctor --dataset --sandbox docker`: whether a container engine answers (and on what architecture),
 * whether each instance's image is on it (`ready`), can be pulled (`needs_pull`, with its size when known) or
 * neither (`missing`, with why), and whether SWE-bench's run facts cover the instance's repository and version (the
 * test command its image is verified with). Printed as the other doctor checks are.
 */
export async function runContainerDoctor(
  context: ContainerDoctorContext,
  onResult?: (result: CheckResult) => void,
): Promise<ContainerDoctorReport> {
  let lookup: ImageLookup | undefined;
  const checks: Check<ContainerDoctorContext>[] = [
    { id: "dataset", title: "dataset", run: async (ctx) => describeDataset(ctx) },
    {
      id: "engine",
      title: "container engine",
      run: async (ctx) => {
        try {
          lookup = await ctx.connect();
        } catch (error) {
          return noEngine(errorMessage(error));
        }
        return describeEngine(ctx, lookup);
      },
    },
    {
      id: "images",
      title: "images",
      requires: ["engine"],
      run: async (ctx) => checkImages(ctx, lookup as ImageLookup),
    },
    { id: "run-facts", title: "run facts", run: async (ctx) => checkRunFacts(ctx) },
    { id: "instances", title: "instances", run: async (ctx, earlier) => summarise(ctx, earlier) },
  ];
  const results = await runChecks(checks, context, onResult);
  const byId = new Map(results.map((result) => [result.id, result]));
  const images = byId.get("images")?.details as
    | { pull_bytes?: number; pull_sizes_unknown?: number }
    | undefined;
  return {
    results,
    instances: (byId.get("instances")?.details?.instances as InstanceReadiness[] | undefined) ?? [],
    healthy: results.every((result) => result.status !== "fail"),
    sandbox: "docker",
    engine_found: byId.get("engine")?.status !== "fail",
    pull_bytes: images?.pull_bytes ?? 0,
    pull_sizes_unknown: images?.pull_sizes_unknown ?? 0,
  };
}

function noEngine(message: string): CheckOutcome {
  // The engine's messages end with how to get one: that is the fix line.
  const summary = message.endsWith(ENGINE_HELP) ? message.slice(0, -ENGINE_HELP.length).trim() : message;
  return { status: "fail", summary, fix: ENGINE_HELP };
}

async function describeEngine(context: ContainerDoctorContext, lookup: ImageLookup): Promise<CheckOutcome> {
  const architecture = await lookup.architecture().catch(() => "unknown");
  const details = { where: lookup.where, architecture };
  if (architecture !== "arm64")
    return { status: "ok", summary: `${lookup.where} answers (${architecture})`, details };
  const x86 = context.instances.filter((instance) => isSweBenchX86Image(context.imageFor(instance))).length;
  const plainly = `${lookup.where} runs on arm64, and SWE-bench publishes x86_64 images only`;
  if (x86 === 0)
    return { status: "ok", summary: `${plainly} (none of this dataset's images is one)`, details };
  return {
    status: "warn",
    summary: `${plainly}: ${x86} of ${context.instances.length} instances' images would run only under x86_64 emulation (slow, if it is set up at all)`,
    fix: "Use an x86_64 (amd64) machine or engine for SWE-bench's images.",
    details,
  };
}

async function checkImages(context: ContainerDoctorContext, lookup: ImageLookup): Promise<CheckOutcome> {
  const byName = new Map<string, Instance[]>();
  for (const instance of context.instances) {
    const name = context.imageFor(instance);
    byName.set(name, [...(byName.get(name) ?? []), instance]);
  }
  const names = [...byName.keys()];
  const statuses = await mapLimit(names, context.concurrency ?? 8, async (name) =>
    lookup.status(name).catch((error): ImageStatus => ({ state: "missing", why: errorMessage(error) })),
  );
  const images: Record<string, InstanceImage> = {};
  const blocked: Reasons = {};
  const needsNetwork: Reasons = {};
  const count = { ready: 0, needs_pull: 0, missing: 0 };
  let pullBytes = 0;
  let sizesUnknown = 0;
  names.forEach((name, index) => {
    const status = statuses[index] as ImageStatus;
    const image = instanceImage(name, status);
    count[image.state]++;
    if (image.state === "needs_pull") {
      if (image.size === undefined) sizesUnknown++;
      else pullBytes += image.size;
    }
    for (const instance of byName.get(name) ?? []) {
      images[instance.instance_id] = image;
      if (image.state === "missing") blocked[instance.instance_id] = `image ${name} missing: ${image.why}`;
      if (image.state === "needs_pull") {
        needsNetwork[instance.instance_id] =
          `image ${name} needs pull${image.size === undefined ? "" : ` (${formatBytes(image.size)})`}`;
      }
    }
  });
  const of = names.length === context.instances.length ? "" : ` for ${context.instances.length} instances`;
  const disk =
    count.needs_pull === 0
      ? ""
      : sizesUnknown === count.needs_pull
        ? "; their download sizes are unknown"
        : `; pulling needs ${formatBytes(pullBytes)}${sizesUnknown ? ` (${count.needs_pull - sizesUnknown} of ${count.needs_pull} sizes known)` : ""}`;
  const status = count.missing > 0 ? "fail" : count.needs_pull > 0 ? "warn" : "ok";
  return {
    status,
    summary: `${plural(names.length, "image")}${of} on ${lookup.where}: ${count.ready} ready, ${count.needs_pull} need${count.needs_pull === 1 ? "s" : ""} pull, ${count.missing} missing${disk}`,
    ...(status === "fail"
      ? {
          fix:
            "Make the missing images available to the engine (build or load them, or point --image-template at a " +
            "registry that has them), or leave those instances out with --instances.",
        }
      : status === "warn"
        ? {
            fix: "They are pulled on first use (docker pull beforehand saves the wait; --no-pull forbids it).",
          }
        : {}),
    details: { images, blocked, needsNetwork, pull_bytes: pullBytes, pull_sizes_unknown: sizesUnknown },
  };
}

function instanceImage(name: string, status: ImageStatus): InstanceImage {
  if (status.state === "present") {
    return { name, state: "ready", ...(status.size === undefined ? {} : { size: status.size }) };
  }
  if (status.state === "pullable") {
    return { name, state: "needs_pull", ...(status.size === undefined ? {} : { size: status.size }) };
  }
  // Engine messages can carry line breaks and trailing blanks (Podman's 404s do): one line per instance.
  return { name, state: "missing", why: status.why.replace(/\s+/g, " ").trim() };
}

function checkRunFacts({ instances }: ContainerDoctorContext): CheckOutcome {
  const blocked: Reasons = {};
  const gaps = new Map<string, number>();
  for (const instance of instances) {
    if (sweBenchRunSpec(instance.repo, instance.version)) continue;
    const what =
      instance.version === undefined
        ? `${instance.repo} (the row has no version)`
        : `${instance.repo} ${instance.version}`;
    blocked[instance.instance_id] = `SWE-bench's run facts have no test command for ${what}`;
    gaps.set(what, (gaps.get(what) ?? 0) + 1);
  }
  const covered = instances.length - Object.keys(blocked).length;
  if (gaps.size === 0) {
    return {
      status: "ok",
      summary: `SWE-bench's run facts cover ${instances.length === 1 ? "the instance" : `all ${instances.length} instances`}`,
    };
  }
  return {
    status: "fail",
    summary: `SWE-bench's run facts cover ${covered} of ${instances.length} instances; none for ${[...gaps].map(([what, n]) => `${what}: ${n}`).join(", ")}`,
    fix: "Those instances cannot be verified in their images: leave them out with --instances, or verify them with --sandbox bwrap and a test spec.",
    details: { blocked },
  };
}

function summarise(context: ContainerDoctorContext, earlier: ReadonlyMap<string, CheckResult>): CheckOutcome {
  const engineFailed = earlier.get("engine")?.status === "fail";
  const imageDetails = earlier.get("images")?.details as
    | { images?: Record<string, InstanceImage>; blocked?: Reasons; needsNetwork?: Reasons }
    | undefined;
  const runFacts = (earlier.get("run-facts")?.details as { blocked?: Reasons } | undefined)?.blocked ?? {};
  const readiness: InstanceReadiness[] = context.instances.map((instance) => {
    const id = instance.instance_id;
    const image = imageDetails?.images?.[id];
    const facts = runFacts[id] === undefined;
    const reasons = [
      ...(engineFailed ? ["no container engine"] : []),
      imageDetails?.blocked?.[id],
      runFacts[id],
    ].filter((reason): reason is string => reason !== undefined);
    const instanceFacts = { instance_id: id, ...(image ? { image } : {}), run_facts: facts };
    return readinessOf(instanceFacts, reasons, imageDetails?.needsNetwork?.[id]);
  });
  return readinessOutcome(readiness, "once their image is pulled");
}

/** `1234567890` → `1.23 GB`; under 100 MB in MB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e8) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e5) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${bytes} bytes`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
