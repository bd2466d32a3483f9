import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { checkEngine, findEngine } from "../containers/engine.js";
import { ImageReleases } from "../containers/image-releases.js";
import { ensureImage } from "../containers/images.js";
import type { Instance } from "../data/instance.js";
import { instanceImageName } from "../harness/swe-bench/image-name.js";
import type { ContainerEngineOptions } from "../workspace/sandbox/open.js";

/** What an image reference may look like (registry/repository:tag@digest), loosely: no spaces, no odd characters. */
const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/** The longest a container lives by default (minutes). */
export const DEFAULT_WALL_MINUTES = 360;

/**
 * The image a dataset instance runs in: `sandbox.docker.image` (one image for all), else the row's own, else the
 * template's (SWE-bench's by default; Multi-SWE-bench's for its rows).
 */
export function imageForInstance(instance: Instance, docker: Config["sandbox"]["docker"]): string {
  if (docker.image) return docker.image;
  if (instance.dataset === "multi-swe-bench" && !instance.image_name) {
    const [org, repo] = instance.repo.split("/");
    const number = /(\d+)$/.exec(instance.instance_id)?.[1];
    return instanceImageName({ instance_id: instance.instance_id, org, repo, number }, docker.imageTemplate);
  }
  return instanceImageName(instance, docker.imageTemplate);
}

/**
 * The container engine the configuration (and environment: `DOCKER_HOST`) names, for `sandbox.kind: docker`: found
 * now (a missing engine is an error saying how to get one), checked on first use, images pulled unless
 * `sandbox.docker.pull` is false, and removed after each item when `sandbox.docker.removeImages` is set.
 */
export function containerEngineFrom(config: Config, logger?: Logger): ContainerEngineOptions {
  const engine = findEngine();
  const docker = config.sandbox.docker;
  let checked: Promise<void> | undefined;
  const release = docker.removeImages ? new ImageReleases(engine, logger) : undefined;
  return {
    docker: engine.docker,
    where: engine.where,
    ...(docker.image ? { image: docker.image } : {}),
    wallMs: (docker.wallMinutes ?? DEFAULT_WALL_MINUTES) * 60_000,
    imageFor: (instance) => imageForInstance(instance, docker),
    prepareImage: async (name) => {
      if (!IMAGE_NAME.test(name)) {
        throw new InputError(
          "image_name_invalid",
          `'${name}' is not an image name (letters, digits and . _ - / : @, e.g. ` +
            "swebench/sweb.eval.x86_64.django_1776_django-11099:latest). Check --image, --image-template or the row's image_name.",
        );
      }
      checked ??= checkEngine(engine);
      await checked;
      await release?.using(name);
      await ensureImage(engine, name, {
        pull: docker.pull ?? true,
        ...(logger ? { logger, onProgress: (line: string) => logger.info(line) } : {}),
      });
    },
    ...(release ? { releaseImage: async (name: string) => release.done(name) } : {}),
  };
}
