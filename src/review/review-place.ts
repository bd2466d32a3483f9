import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { openContainerCheckout } from "../containers/container-checkout.js";
import type { OpenSandbox } from "../workspace/sandbox/open.js";
import { Workspace } from "../workspace/workspace.js";
import type { PatchApplier } from "./patch-check.js";
import type { ReviewEnvironment, ReviewRequest } from "./run-review.js";

/**
 * Where a review happens: a host workspace (a checkout made from the mirror cache, for `bwrap`, `local` and the
 * single-turn modes), or a container of the instance's image with its own checkout (`docker`, agentic), in which
 * case no host clone exists and the sandbox is already started.
 */
export interface ReviewPlace {
  workspace?: Workspace;
  box?: OpenSandbox;
  /** Host-only state of the agent's tools. */
  state: string;
  commit: string;
  /** Checks that the patch applies to the base, where the checkout is. */
  applier: PatchApplier | string;
  /** A host checkout (the single-turn modes read files from it). */
  hostCheckout(): Promise<string>;
  dispose(): Promise<void>;
}

const PRECHECK_FILE = "/tmp/.swe-review-precheck.patch";

export async function openReviewPlace(
  request: ReviewRequest,
  env: Omit<ReviewEnvironment, "model" | "budget" | "outDir">,
  logger: Logger,
): Promise<ReviewPlace> {
  const reviewData = {
    instanceId: request.instanceId ?? "review",
    repo: request.repo ?? "local/repository",
    problemStatement: request.issue,
    patch: request.patch,
    ...(request.prTitle === undefined ? {} : { prTitle: request.prTitle }),
    ...(request.prBody === undefined ? {} : { prBody: request.prBody }),
  };
  if (env.sandbox.kind === "docker" && request.mode === "agentic") {
    const engine = env.sandbox.container;
    const image = request.image ?? engine?.image;
    if (!engine || !image) {
      throw new InputError(
        "image_missing",
        "--sandbox docker needs an image to run the review in: pass --image <name> (your project's CI or " +
          "devcontainer image; the checkout is copied into its /testbed), or review dataset instances with " +
          "`bench review` (each runs in its SWE-bench image).",
      );
    }
    await engine.prepareImage(image);
    // A dataset instance's image holds the repository; any other image gets a copy of a host checkout.
    const copied = request.image
      ? undefined
      : await Workspace.create({
          source: request.source,
          base: request.base,
          cache: env.cache,
          root: env.workspaceRoot,
          logger,
        });
    const checkout = await openContainerCheckout({
      ...(copied ? { copyFrom: copied.testbed } : {}),
      docker: engine.docker,
      image,
      run: `review ${request.instanceId ?? "review"}`,
      base: request.base,
      hostRoot: env.workspaceRoot,
      reviewData,
      sandbox: { ...env.sandbox, logger },
      ...(engine.wallMs ? { wallMs: engine.wallMs } : {}),
    });
    const box = checkout.box;
    return {
      box,
      state: checkout.state,
      commit: checkout.commit,
      applier: async (patch) => {
        await box.files.write(PRECHECK_FILE, patch);
        const git = await box.files.run(["git", "apply", "--check", PRECHECK_FILE], {
          cwd: box.paths.testbed,
        });
        if (git.exitCode === 0) return { ok: true };
        const fuzzy = await box.files.run(
          ["patch", "--dry-run", "--batch", "--fuzz=5", "-p1", "-i", PRECHECK_FILE],
          { cwd: box.paths.testbed },
        );
        if (fuzzy.exitCode === 0) return { ok: true };
        const error = (git.stderr + git.stdout).trim().split("\n").slice(0, 3).join(" ");
        return { ok: false, error: error || "git apply failed" };
      },
      hostCheckout: async () => {
        throw new InputError("internal_error", "a container review has no host checkout");
      },
      dispose: async () => {
        await checkout.dispose();
        await copied?.dispose();
        await engine.releaseImage?.(image);
      },
    };
  }
  const workspace = await Workspace.create({
    source: request.source,
    base: request.base,
    cache: env.cache,
    root: env.workspaceRoot,
    logger,
    reviewData,
  });
  return {
    workspace,
    state: workspace.state,
    commit: workspace.commit,
    applier: workspace.testbed,
    hostCheckout: async () => workspace.testbed,
    dispose: () => workspace.dispose(),
  };
}
