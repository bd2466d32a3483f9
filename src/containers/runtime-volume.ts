import type Dockerode from "dockerode";
import { SweReviewError } from "../common/errors.js";
import { LABELS } from "./container-labels.js";
import { bundleTar, RUNTIME_DIR, type RuntimeBundle } from "./runtime-bundle.js";

/** Only `NoCopy` is sent (the typings also ask for labels and a driver, which the engine does not need). */
const NO_COPY = { NoCopy: true } as unknown as NonNullable<Dockerode.MountSettings["VolumeOptions"]>;

/** The file whose presence says a runtime volume was filled completely (written last). */
const COMPLETE = ".complete";

const filling = new Map<string, Promise<string>>();

/**
 * A named volume holding the runtime bundle, filled once per engine and bundle (its name carries the bundle's
 * hash), then mounted read-only into every container. It goes in through the engine's API, so a remote engine
 * (where no host path can be mounted) works the same. `image` is any image present on the engine: the volume is
 * filled through a container of it that never starts.
 */
export async function ensureRuntimeVolume(
  docker: Dockerode,
  bundle: RuntimeBundle,
  image: string,
): Promise<string> {
  const name = `swe-review-runtime-${bundle.hash}`;
  let pending = filling.get(name);
  // Filled earlier by this process, but `cache prune` (another process) may have removed it since, while no
  // container used it: mounting a missing volume would give an empty one.
  if (pending && (await pending.catch(() => undefined)) && !(await exists(docker, name))) {
    filling.delete(name);
    pending = undefined;
  }
  if (!pending) {
    pending = fill(docker, bundle, image, name);
    filling.set(name, pending);
    pending.catch(() => filling.delete(name));
  }
  return pending;
}

async function fill(docker: Dockerode, bundle: RuntimeBundle, image: string, name: string): Promise<string> {
  if (await isComplete(docker, name, image)) return name;
  await docker.createVolume({ Name: name, Labels: { [LABELS.managed]: "1" } }).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  });
  // NoCopy: an engine copies what the image has at the target into an empty volume; the volume is shared by
  // every image's containers, so one image's files there must not become another run's runtime.
  const helper = await idleWithVolume(docker, image, name, "runtime volume", { VolumeOptions: NO_COPY });
  try {
    await helper.putArchive(bundleTar(bundle.files), { path: RUNTIME_DIR });
    const done = bundleTar([{ content: Buffer.from(bundle.hash), path: COMPLETE, mode: 0o644 }]);
    await helper.putArchive(done, { path: RUNTIME_DIR });
  } catch (error) {
    throw new SweReviewError(
      "runtime_volume_failed",
      `Could not copy swe-review's runtime into the volume ${name}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await helper.remove({ force: true, v: false }).catch(() => {});
  }
  return name;
}

/** A container of `image` that runs nothing, the volume at the runtime folder: to copy files in or read them out. */
function idleWithVolume(
  docker: Dockerode,
  image: string,
  name: string,
  purpose: string,
  mount: { VolumeOptions?: typeof NO_COPY; ReadOnly?: boolean },
): Promise<Dockerode.Container> {
  return docker.createContainer({
    Image: image,
    Entrypoint: ["/bin/true"],
    Cmd: [],
    Labels: { [LABELS.managed]: "1", [LABELS.run]: purpose },
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: "volume", Source: name, Target: RUNTIME_DIR, ...mount }] },
  });
}

/** Whether the volume exists and was filled to the end (a run killed while filling it leaves no `.complete`). */
async function isComplete(docker: Dockerode, name: string, image: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
  } catch {
    return false;
  }
  const probe = await idleWithVolume(docker, image, name, "runtime volume check", { ReadOnly: true });
  try {
    const archive = await probe.getArchive({ path: `${RUNTIME_DIR}/${COMPLETE}` });
    (archive as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    return true;
  } catch {
    return false;
  } finally {
    await probe.remove({ force: true, v: false }).catch(() => {});
  }
}

async function exists(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch {
    return false;
  }
}
