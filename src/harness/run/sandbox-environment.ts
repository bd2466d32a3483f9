import { join, posix } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import type { RepoCache } from "../../workspace/repo-cache.js";
import { datasetRepoSource, type RepoOverrides } from "../../workspace/repo-source.js";
import { type OpenSandbox, type OpenSandboxOptions, openSandbox } from "../../workspace/sandbox/open.js";
import { Workspace } from "../../workspace/workspace.js";
import type { Environment, PreparedEnvironment, PrepareRequest } from "./environment.js";
import { execScript } from "./exec-script.js";
import { SandboxRun } from "./sandbox-run.js";
import type { ProducedSetup, SetupCache, SetupCacheEntry } from "./setup-cache.js";
import { parseSetupChanges, SETUP_STATUS_ARGV } from "./setup-changes.js";
import { SetupError } from "./setup-error.js";

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
 * Folder (at the sandbox's private root, which the host sees; its /tmp is a tmpfs the host does not) where a
 * setup's archive is made.
 */
const SETUP_DIR = ".swe-review-setup";

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
            commit: workspace.commit,
            setup: request.setup,
            env: request.env,
          };
          const { entry, produced } = await cache.obtain(key, () =>
            this.runSetup(workspace, request, { archive: true }),
          );
          workspace.markInUse(entry.dir); // not pruned while it is unpacked
          setupLog = produced ? entry.log : `(setup restored from ${entry.dir})\n${entry.log}`;
          if (!produced) restore = entry;
        } else {
          setupLog = (await this.runSetup(workspace, request, { archive: false })).log;
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
  private async runSetup(
    workspace: Workspace,
    request: PrepareRequest,
    options: { archive: boolean },
  ): Promise<ProducedSetup> {
    const box = await openSandbox(workspace, {
      ...this.options.sandbox,
      network: true,
      readOnly: [...(this.options.sandbox?.readOnly ?? []), ...(request.readOnly ?? [])],
    });
    try {
      const dir = posix.join(box.paths.root, SETUP_DIR);
      const made = await box.files.run(["mkdir", "-p", dir]);
      if (made.exitCode !== 0) throw new SweReviewError("sandbox_op_failed", `mkdir ${dir}: ${made.stderr}`);
      let log = "";
      for (const [index, command] of request.setup.entries()) {
        this.logger.info({ repo: request.repo, command }, "running setup");
        const outputFile = posix.join(dir, `setup-${index}.log`);
        const script = execScript(command, { cwd: box.paths.testbed, outputFile, env: request.env });
        const result = await box.shell.run(script, request.setupTimeoutMs);
        const output = (await box.files.read(outputFile)).toString("utf8") + result.output;
        log += `+ ${command}\n${output}`;
        if (result.timedOut) {
          throw new SetupError(command, log, `ran out of time (${request.setupTimeoutMs / 1000} s)`);
        }
        if (result.exitCode !== 0) throw new SetupError(command, log, `failed (exit ${result.exitCode})`);
      }
      if (!options.archive) return { archive: "", deleted: [], log };
      return { ...(await archiveChanges(box, dir, join(workspace.rootfs, SETUP_DIR))), log };
    } finally {
      await box.close();
    }
  }
}

/** Packs the paths setup created or changed into `<dir>/setup.tar` (inside the sandbox). */
async function archiveChanges(
  box: OpenSandbox,
  dir: string,
  hostDir: string,
): Promise<Omit<ProducedSetup, "log">> {
  const status = await box.files.run(SETUP_STATUS_ARGV, { cwd: box.paths.testbed, timeoutMs: 120_000 });
  if (status.exitCode !== 0) {
    throw new SweReviewError("setup_archive_failed", `git status after setup failed: ${status.stderr}`);
  }
  const changes = parseSetupChanges(status.stdout);
  const list = posix.join(dir, "paths");
  await box.files.write(list, changes.changed.map((path) => `${path}\0`).join(""));
  const tar = await box.files.run(["tar", "-cf", posix.join(dir, "setup.tar"), "--null", "-T", list], {
    cwd: box.paths.testbed,
    timeoutMs: 30 * 60_000,
  });
  if (tar.exitCode !== 0) {
    throw new SweReviewError("setup_archive_failed", `Packing the setup's result failed: ${tar.stderr}`);
  }
  return { archive: join(hostDir, "setup.tar"), deleted: changes.deleted };
}

/** Unpacks a cached setup into the checkout and repeats its deletions. */
async function restoreSetup(box: OpenSandbox, entry: SetupCacheEntry): Promise<void> {
  const steps = [
    ["tar", "-xf", entry.archive, "-C", box.paths.testbed],
    ...(entry.deleted.length > 0 ? [["rm", "-rf", "--", ...entry.deleted]] : []),
  ];
  for (const argv of steps) {
    const result = await box.files.run(argv, { cwd: box.paths.testbed, timeoutMs: 30 * 60_000 });
    if (result.exitCode !== 0) {
      throw new SweReviewError(
        "setup_restore_failed",
        `Restoring the cached setup ${entry.dir} failed (${argv[0]}): ${result.stderr.trim()}. Remove that folder to set up afresh.`,
      );
    }
  }
}
