import { type Logger, silentLogger } from "../../common/logger.js";
import type { RepoCache } from "../../workspace/repo-cache.js";
import { datasetRepoSource, type RepoOverrides } from "../../workspace/repo-source.js";
import { type OpenSandboxOptions, openSandbox } from "../../workspace/sandbox/open.js";
import { restoreSetup, runSetup } from "../../workspace/setup/run-setup.js";
import type { ProducedSetup, SetupCache, SetupCacheEntry } from "../../workspace/setup/setup-cache.js";
import { Workspace } from "../../workspace/workspace.js";
import type { Environment, PreparedEnvironment, PrepareRequest } from "./environment.js";
import { SandboxRun } from "./sandbox-run.js";

/** How the sandbox `Environment` makes checkouts: workspaces from cached mirrors, commands in the sandbox. */
export interface SandboxEnvironmentOptions {
  /** Where repositories are mirrored. */
  cache: RepoCache;
  /** Where workspaces are made. */
  root: string;
  /** `owner/name` → a local clone (`--repo`). */
  overrides?: RepoOverrides;
  /** The sandbox kind, limits and extra read-only folders. `network` is decided here, per step. */
  sandbox?: Omit<OpenSandboxOptions, "network">;
  /** Keeps setup results per repository and base; none: every checkout runs its setup. */
  setupCache?: SetupCache;
  /** Leave workspaces on disk after `dispose` (debugging). */
  keep?: boolean;
  logger?: Logger;
}

/**
 * Runs instances in workspaces made from cached mirrors, isolated by the configured sandbox. Setup runs in a
 * sandbox with the network on; that sandbox is closed before the tests' sandbox, which has none, is opened.
 */
export class SandboxEnvironment implements Environment {
  readonly name: string;
  private readonly logger: Logger;

  constructor(private readonly options: SandboxEnvironmentOptions) {
    this.name = options.sandbox?.kind ?? "bwrap";
    this.logger = options.logger ?? silentLogger;
  }

  async prepare(request: PrepareRequest): Promise<PreparedEnvironment> {
    const workspace = await Workspace.create({
      source: datasetRepoSource(request.repo, this.options.overrides),
      base: request.baseCommit,
      cache: this.options.cache,
      root: this.options.root,
      logger: this.logger,
    });
    try {
      let setupLog = "";
      let restore: SetupCacheEntry | undefined;
      if (request.setup.length > 0) {
        const cache = this.options.setupCache;
        if (cache) {
          const key = {
            repo: request.repo,
            basis: workspace.commit,
            setup: request.setup,
            env: request.env,
          };
          const { entry, produced } = await cache.obtain(key, () => this.runSetup(workspace, request, true));
          workspace.markInUse(entry.dir); // not pruned while it is unpacked
          setupLog = produced ? entry.log : `(setup restored from ${entry.dir})\n${entry.log}`;
          if (!produced) restore = entry;
        } else {
          setupLog = (await this.runSetup(workspace, request, false)).log;
        }
      }
      const box = await openSandbox(workspace, {
        ...this.options.sandbox,
        network: false,
        readOnly: [
          ...(this.options.sandbox?.readOnly ?? []),
          ...(request.readOnly ?? []),
          ...(restore ? [restore.dir] : []),
        ],
      });
      const keep = this.options.keep;
      const checkout = {
        commit: workspace.commit,
        hostDir: workspace.dir,
        release: async () => {
          if (!keep) await workspace.dispose();
        },
      };
      const run = new SandboxRun(checkout, box, setupLog);
      if (restore)
        await restoreSetup(box, restore).catch(async (error) => {
          await box.close();
          throw error;
        });
      return run;
    } catch (error) {
      if (!this.options.keep) await workspace.dispose();
      throw error;
    }
  }

  /** Runs the setup commands with the network on; with `archive`, packs what they changed for the cache. */
  private runSetup(workspace: Workspace, request: PrepareRequest, archive: boolean): Promise<ProducedSetup> {
    return runSetup(workspace, {
      commands: request.setup,
      env: request.env,
      timeoutMs: request.setupTimeoutMs,
      sandbox: {
        ...this.options.sandbox,
        readOnly: [...(this.options.sandbox?.readOnly ?? []), ...(request.readOnly ?? [])],
      },
      archive,
      label: request.repo,
      logger: this.logger,
    });
  }
}
