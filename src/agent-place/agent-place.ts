import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { openContainerCheckout } from "../containers/container-checkout.js";
import type { RepoCache } from "../workspace/repo-cache.js";
import type { RepoSource } from "../workspace/repo-source.js";
import type { ReviewData } from "../workspace/review-data.js";
import type { OpenSandbox, OpenSandboxOptions } from "../workspace/sandbox/open.js";
import { Workspace } from "../workspace/workspace.js";
import {
  type AgentSetup,
  NO_SETUP,
  prepareAgentWorkspace,
  type SetupSubject,
  type WorkspaceSetupSettings,
} from "./agent-setup.js";
import { hostCheckoutRunner, type PatchCheckRunner } from "./patch-check-runner.js";

/**
 * Where an agent works: a host workspace (a checkout made from the mirror cache, for `bwrap` and `local`), or a
 * container with its own checkout (`docker`): of the dataset instance's image, which holds the repository (no host
 * clone at all), or of any image (`--image`) that a host checkout at the base is copied into. A container place's
 * sandbox is already started.
 */
export interface AgentPlace {
  workspace?: Workspace;
  box?: OpenSandbox;
  /** The options the agent's sandbox is opened with: the environment's, plus what the workspace's setup needs. */
  sandbox: OpenSandboxOptions;
  /** What preparing the workspace did (none for a container: its image is the project's environment). */
  setup: AgentSetup;
  /** Host-only state of the agent's tools (never visible to the agent). */
  state: string;
  /** The base commit (full hash). */
  commit: string;
  /** Where a patch's check against the base runs: over the host checkout, or in the container. */
  applier: PatchCheckRunner;
  /** Removes the checkout and the container (and the instance image, when the user asked for that). */
  dispose(): Promise<void>;
}

export interface AgentPlaceRequest {
  source: RepoSource;
  base: string;
  /** The image whose `/testbed` holds the repository (a dataset instance's); absent: `--image`, with a copy. */
  image?: string;
  /** The agent's inputs at `/review_data` (none: an empty folder). */
  reviewData?: ReviewData;
  /** What the container is for (its label), e.g. `review django__django-11099`. */
  run: string;
  /** A container place (`docker`), or a host workspace. */
  container: boolean;
  /** The repository (and dataset version) the workspace is of, for its test spec's setup. */
  subject?: SetupSubject;
}

/**
 * Where an agent's place is made, shared by every role's environment (`ReviewEnvironment`, `GenerationEnvironment`).
 */
export interface AgentPlaceEnvironment {
  /** Bare mirrors of the repositories, reused across runs: `new RepoCache(dir)` or `repoCacheFrom(config)`. */
  cache: RepoCache;
  /** Where the throwaway checkout is made (`workspaceRootFrom(config)`); it is removed afterwards unless kept. */
  workspaceRoot: string;
  /**
   * How the agent's commands run: `{ kind: "bwrap" }` (bubblewrap, no network: the default), `{ kind: "local" }`
   * (no isolation), `{ kind: "docker" }`, with network and extra environment; `sandboxOptionsFrom(config)` reads the
   * configuration.
   */
  sandbox: OpenSandboxOptions;
  /** How a host workspace is prepared before the agent starts; absent: not at all. */
  setup?: WorkspaceSetupSettings | undefined;
}

const PRECHECK_FILE = "/tmp/.swe-review-precheck.patch";

export async function openAgentPlace(
  request: AgentPlaceRequest,
  env: AgentPlaceEnvironment,
  logger: Logger,
): Promise<AgentPlace> {
  if (request.container) {
    if (env.setup?.depsFrom) {
      throw new InputError(
        "deps_from_worktree_container",
        "--deps-from-worktree exposes host folders to a bwrap sandbox; a container's image is the project's " +
          "environment. Leave out the flag, or use --sandbox bwrap.",
      );
    }
    return openContainerPlace(request, env, logger);
  }
  const workspace = await Workspace.create({
    source: request.source,
    base: request.base,
    cache: env.cache,
    root: env.workspaceRoot,
    logger,
    ...(request.reviewData ? { reviewData: request.reviewData } : {}),
  });
  try {
    const setup = env.setup
      ? await prepareAgentWorkspace(workspace, request.subject ?? {}, env.setup, env.sandbox, logger)
      : NO_SETUP;
    return {
      workspace,
      sandbox: withSetup(env.sandbox, setup),
      setup,
      state: workspace.state,
      commit: workspace.commit,
      applier: hostCheckoutRunner(workspace),
      dispose: () => workspace.dispose(),
    };
  } catch (error) {
    await workspace.dispose();
    throw error;
  }
}

/** The agent's sandbox options with what its workspace's setup needs added. */
function withSetup(sandbox: OpenSandboxOptions, setup: AgentSetup): OpenSandboxOptions {
  const { env, readOnly, readOnlyAt } = setup.sandbox;
  return {
    ...sandbox,
    ...(env && Object.keys(env).length > 0 ? { env: { ...sandbox.env, ...env } } : {}),
    ...(readOnly && readOnly.length > 0 ? { readOnly: [...(sandbox.readOnly ?? []), ...readOnly] } : {}),
    ...(readOnlyAt && readOnlyAt.length > 0
      ? { readOnlyAt: [...(sandbox.readOnlyAt ?? []), ...readOnlyAt] }
      : {}),
  };
}

async function openContainerPlace(
  request: AgentPlaceRequest,
  env: AgentPlaceEnvironment,
  logger: Logger,
): Promise<AgentPlace> {
  const engine = env.sandbox.container;
  const image = request.image ?? engine?.image;
  if (!engine || !image) {
    throw new InputError(
      "image_missing",
      "--sandbox docker needs an image to run the agent in: pass --image <name> (your project's CI or " +
        "devcontainer image; the checkout is copied into its /testbed), or work on dataset instances (each " +
        "runs in its SWE-bench image).",
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
  try {
    const checkout = await openContainerCheckout({
      ...(copied ? { copyFrom: copied.testbed } : {}),
      docker: engine.docker,
      image,
      run: request.run,
      // A copy is at the commit the host resolved (`HEAD~1` means nothing in it: it has no refs).
      base: copied ? copied.commit : request.base,
      hostRoot: env.workspaceRoot,
      ...(request.reviewData ? { reviewData: request.reviewData } : {}),
      sandbox: { ...env.sandbox, logger },
      ...(engine.wallMs ? { wallMs: engine.wallMs } : {}),
    });
    const box = checkout.box;
    return {
      box,
      sandbox: env.sandbox,
      setup: NO_SETUP,
      state: checkout.state,
      commit: checkout.commit,
      applier: async (argv, patch) => {
        await box.files.write(PRECHECK_FILE, patch);
        // The run op gives programs no stdin: the patch comes from a file, as the host's check reads it.
        const result = await box.files.run(["bash", "-c", 'exec "$@" < "$0"', PRECHECK_FILE, ...argv], {
          cwd: box.paths.testbed,
        });
        return { code: result.exitCode, output: result.stderr + result.stdout };
      },
      dispose: async () => {
        await checkout.dispose();
        await copied?.dispose();
        await engine.releaseImage?.(image);
      },
    };
  } catch (error) {
    await copied?.dispose();
    throw error;
  }
}
