import { SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import { type ContainerCheckout, openContainerCheckout } from "../../containers/container-checkout.js";
import type { Instance } from "../../data/instance.js";
import type { ContainerEngineOptions, OpenSandboxOptions } from "../../workspace/sandbox/open.js";
import { SetupError } from "../../workspace/setup/setup-error.js";
import type { Environment, PreparedEnvironment, PrepareRequest } from "./environment.js";
import { SandboxRun } from "./sandbox-run.js";

/** How a container `Environment` runs checkouts: in SWE-bench's images, with the network always off. */
export interface ContainerEnvironmentOptions {
  /** The engine, and how images are made present and released (`containerEngineFrom`). */
  container: ContainerEngineOptions;
  /** Where each checkout's host-only state folder is made (nothing of the repository is kept on the host). */
  hostRoot: string;
  /** Limits and extra environment; the kind is `docker` and the network is always off. */
  sandbox?: Omit<OpenSandboxOptions, "network" | "kind" | "container">;
  logger?: Logger;
}

/**
 * Runs instances in containers of their images (SWE-bench's `sweb.eval.*`: the repository at `/testbed` with its
 * environment installed), without any host clone or mirror. Each checkout is a fresh container with no network,
 * at the request's base commit; its setup commands (SWE-bench's images need none) run in it too, so without
 * network. Disposing of it removes the container, then releases the image (removed when the user asked to save
 * disk, `--remove-images`).
 */
export class ContainerEnvironment implements Environment {
  readonly name = "docker";
  private readonly logger: Logger;

  constructor(private readonly options: ContainerEnvironmentOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  imageFor(instance: Instance): string {
    const { container } = this.options;
    if (container.imageFor) return container.imageFor(instance);
    if (container.image) return container.image;
    throw new SweReviewError(
      "image_missing",
      `No image is known for ${instance.instance_id}: pass --image <name> or --image-template <pattern>.`,
    );
  }

  async prepare(request: PrepareRequest): Promise<PreparedEnvironment> {
    const { container } = this.options;
    const image = request.image ?? container.image;
    if (!image) {
      throw new SweReviewError(
        "image_missing",
        `No image to run ${request.repo} at ${request.baseCommit} in: --sandbox docker verifies dataset ` +
          "instances in their images (the row's image_name, or --image-template), or in --image <name>.",
      );
    }
    await container.prepareImage(image);
    let checkout: ContainerCheckout;
    try {
      checkout = await openContainerCheckout({
        docker: container.docker,
        image,
        run: `verify ${request.repo}@${request.baseCommit.slice(0, 12)}`,
        base: request.baseCommit,
        hostRoot: this.options.hostRoot,
        keepHistory: true,
        sandbox: { ...this.options.sandbox, logger: this.logger, kind: "docker", network: false },
        ...(container.wallMs ? { wallMs: container.wallMs } : {}),
      });
    } catch (error) {
      await this.release(image);
      throw error;
    }
    const run = new SandboxRun(
      {
        commit: checkout.commit,
        release: async () => {
          try {
            await checkout.dispose();
          } finally {
            await this.release(image);
          }
        },
      },
      checkout.box,
      "",
    );
    try {
      run.setupLog = await this.runSetup(run, request);
      return run;
    } catch (error) {
      await run.dispose();
      throw error;
    }
  }

  /** The request's setup commands, in order, in the checkout (no network: the image should hold what they fetch). */
  private async runSetup(run: SandboxRun, request: PrepareRequest): Promise<string> {
    let log = "";
    for (const command of request.setup) {
      this.logger.info({ repo: request.repo, command }, "running setup in the container");
      const result = await run.exec(command, { timeoutMs: request.setupTimeoutMs, env: request.env });
      log += `+ ${command}\n${result.output}`;
      if (result.timedOut) {
        throw new SetupError(command, log, `ran out of time (${request.setupTimeoutMs / 1000} s)`);
      }
      if (result.exitCode !== 0) throw new SetupError(command, log, `failed (exit ${result.exitCode})`);
    }
    return log;
  }

  private async release(image: string): Promise<void> {
    await this.options.container.releaseImage?.(image).catch((error: unknown) => {
      this.logger.warn({ image, error: String(error) }, "releasing the image failed");
    });
  }
}
