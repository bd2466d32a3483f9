import { join, posix } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { type Logger, silentLogger } from "../../common/logger.js";
import { execScript } from "../sandbox/exec-script.js";
import { type OpenSandbox, type OpenSandboxOptions, openSandbox } from "../sandbox/open.js";
import type { Workspace } from "../workspace.js";
import type { ProducedSetup, SetupCacheEntry } from "./setup-cache.js";
import { parseSetupChanges, SETUP_STATUS_ARGV, type SetupChanges } from "./setup-changes.js";
import { SetupError } from "./setup-error.js";

/**
 * Folder (at the sandbox's private root, which the host sees; its /tmp is a tmpfs the host does not) where a
 * setup's archive is made.
 */
const SETUP_DIR = ".swe-review-setup";

export interface SetupRun {
  /** Shell commands run in order in the checkout; the first that fails ends the setup. */
  commands: readonly string[];
  /** Their environment, on top of the sandbox's. */
  env: Readonly<Record<string, string>>;
  /** Time limit of each command. */
  timeoutMs: number;
  /** The sandbox they run in: its kind, limits and read-only folders. The network is on. */
  sandbox?: Omit<OpenSandboxOptions, "network">;
  /** Pack what the commands changed for the setup cache (else the result stays in the checkout only). */
  archive: boolean;
  /** Labels the log lines of this setup (a repository's name). */
  label?: string;
  logger?: Logger;
}

/**
 * Runs setup commands in a workspace's checkout, in a sandbox of their own with the network on (installers
 * download), which is closed before anything else runs there. Says what they created, changed and deleted (`git
 * status`: untracked and ignored folders whole, modified files, deletions); with `archive`, also packs what they
 * created or changed into a tar the host moves into the cache. Throws `SetupError` with the output's tail when a
 * command fails or runs out of time.
 */
export async function runSetup(workspace: Workspace, run: SetupRun): Promise<ProducedSetup> {
  const logger = run.logger ?? silentLogger;
  const box = await openSandbox(workspace, { ...run.sandbox, network: true });
  try {
    const dir = posix.join(box.paths.root, SETUP_DIR);
    const made = await box.files.run(["mkdir", "-p", dir]);
    if (made.exitCode !== 0) throw new SweReviewError("sandbox_op_failed", `mkdir ${dir}: ${made.stderr}`);
    let log = "";
    for (const [index, command] of run.commands.entries()) {
      logger.info({ repo: run.label, command }, "running setup");
      const outputFile = posix.join(dir, `setup-${index}.log`);
      const script = execScript(command, { cwd: box.paths.testbed, outputFile, env: run.env });
      const result = await box.shell.run(script, run.timeoutMs);
      const output = (await box.files.read(outputFile)).toString("utf8") + result.output;
      log += `+ ${command}\n${output}`;
      if (result.timedOut) throw new SetupError(command, log, `ran out of time (${run.timeoutMs / 1000} s)`);
      if (result.exitCode !== 0) throw new SetupError(command, log, `failed (exit ${result.exitCode})`);
    }
    const changes = await setupChanges(box);
    if (!run.archive) return { archive: "", deleted: changes.deleted, created: changes.created, log };
    return { ...(await archiveChanges(box, changes, dir, join(workspace.rootfs, SETUP_DIR))), log };
  } finally {
    await box.close();
  }
}

/** What the setup changed in the checkout, as git in its sandbox sees it. */
async function setupChanges(box: OpenSandbox): Promise<SetupChanges> {
  const status = await box.files.run(SETUP_STATUS_ARGV, { cwd: box.paths.testbed, timeoutMs: 120_000 });
  if (status.exitCode !== 0) {
    throw new SweReviewError("setup_archive_failed", `git status after setup failed: ${status.stderr}`);
  }
  return parseSetupChanges(status.stdout);
}

/** Packs the paths setup created or changed into `<dir>/setup.tar` (inside the sandbox). */
async function archiveChanges(
  box: OpenSandbox,
  changes: SetupChanges,
  dir: string,
  hostDir: string,
): Promise<Omit<ProducedSetup, "log">> {
  const list = posix.join(dir, "paths");
  await box.files.write(list, changes.changed.map((path) => `${path}\0`).join(""));
  const tar = await box.files.run(["tar", "-cf", posix.join(dir, "setup.tar"), "--null", "-T", list], {
    cwd: box.paths.testbed,
    timeoutMs: 30 * 60_000,
  });
  if (tar.exitCode !== 0) {
    throw new SweReviewError("setup_archive_failed", `Packing the setup's result failed: ${tar.stderr}`);
  }
  return { archive: join(hostDir, "setup.tar"), deleted: changes.deleted, created: changes.created };
}

/**
 * Unpacks a cached setup into the checkout and repeats its deletions, inside a sandbox (the archive holds what
 * the repository's own commands made: it is never unpacked by the host).
 */
export async function restoreSetup(box: OpenSandbox, entry: SetupCacheEntry): Promise<void> {
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
