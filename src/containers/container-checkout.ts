import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, posix } from "node:path";
import type Dockerode from "dockerode";
import { SweReviewError } from "../common/errors.js";
import { shellQuote } from "../common/shell-quote.js";
import { git } from "../workspace/git.js";
import { removeTree } from "../workspace/remove-tree.js";
import { type ReviewData, writeReviewData } from "../workspace/review-data.js";
import { type OpenSandbox, type OpenSandboxOptions, startFromSandbox } from "../workspace/sandbox/open.js";
import { writeOwnerFile } from "../workspace/workspace.js";
import { ContainerSandbox } from "./container-sandbox.js";
import { HIDE_FUTURE_SCRIPT } from "./hide-future.js";

export interface ContainerCheckoutOptions {
  docker: Dockerode;
  /** An image present on the engine, with the repository at `/testbed`. */
  image: string;
  /** What the container is for (its label). */
  run: string;
  /** The commit to review or work from; undefined: the image's checkout as it is. */
  base?: string;
  /** Where the host-only state folder is made. */
  hostRoot: string;
  reviewData?: ReviewData;
  /** Limits, network, extra environment, logger (the kind is `docker`). */
  sandbox?: OpenSandboxOptions;
  /**
   * A host checkout (its history borrowed or not) to copy into the container's `/testbed`, replacing what the image
   * has there: for an image that does not hold the repository (a project's CI image).
   */
  copyFrom?: string;
  /** Leave history after the base in place (the harness: no agent looks at it). */
  keepHistory?: boolean;
  wallMs?: number;
}

/**
 * A checkout inside a container of the instance's image, ready for an agent: the sandbox started, the history
 * past the base removed, the review data at `/review_data`. The host keeps only a state folder (the editor's undo
 * history, the task list), never a clone of the repository.
 */
export interface ContainerCheckout {
  box: OpenSandbox;
  /** The base commit (full hash) the checkout is at. */
  commit: string;
  /** Host-only state (never visible to the agent). */
  state: string;
  /** Closes the sandbox (the container is removed) and removes the state folder. */
  dispose(): Promise<void>;
}

/** Starts a container checkout; on any failure nothing is left running. */
export async function openContainerCheckout(options: ContainerCheckoutOptions): Promise<ContainerCheckout> {
  mkdirSync(options.hostRoot, { recursive: true });
  // Named and owned like a workspace, so `cache prune` removes it when its run died.
  const hostDir = mkdtempSync(join(options.hostRoot, "ws-container-"));
  writeOwnerFile(hostDir);
  const state = join(hostDir, "state");
  mkdirSync(state);
  const sandbox = new ContainerSandbox({
    docker: options.docker,
    image: options.image,
    run: options.run,
    ...(options.sandbox?.network ? { network: true } : {}),
    ...(options.sandbox?.limits ? { limits: options.sandbox.limits } : {}),
    ...(options.wallMs ? { wallMs: options.wallMs } : {}),
  });
  const box = startFromSandbox(sandbox, { ...options.sandbox, kind: "docker" });
  const dispose = async () => {
    await box.close();
    await removeTree(hostDir);
  };
  try {
    await box.ready;
    // The agent writes its deliverables at `/`, as root without capabilities: the root folder must be writable by
    // its owner (some images make it r-x).
    const writable = await box.files.run(["chmod", "u+w", "/"], { asSupervisor: true });
    if (writable.exitCode !== 0) {
      throw new SweReviewError("container_checkout_failed", `chmod u+w / failed: ${writable.stderr.trim()}`);
    }
    if (options.copyFrom) await copyCheckout(box, sandbox, options.copyFrom);
    const commit = options.keepHistory
      ? await headCommit(box, options.base)
      : await hideFuture(box, options.base, options.image);
    if (options.reviewData) await putReviewData(box, hostDir, options.reviewData);
    return { box, commit, state, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function hideFuture(box: OpenSandbox, base: string | undefined, image: string): Promise<string> {
  const result = await box.files.run(["bash", "-c", HIDE_FUTURE_SCRIPT, "hide-future", base ?? ""], {
    cwd: box.paths.testbed,
    timeoutMs: 20 * 60_000,
    asSupervisor: true,
  });
  const commit = /([0-9a-f]{40})\s*$/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !commit) {
    throw new SweReviewError(
      "container_checkout_failed",
      `The image ${image} has no usable git checkout at /testbed${base ? ` with commit ${base}` : ""}: ` +
        `${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ") || `exit ${result.exitCode}`}. ` +
        "Use an image with the repository at /testbed (SWE-bench's instance images have it).",
    );
  }
  return commit;
}

async function headCommit(box: OpenSandbox, base: string | undefined): Promise<string> {
  const steps = base
    ? `git -c advice.detachedHead=false checkout -q --detach ${shellQuote(base)} && git rev-parse HEAD`
    : "git rev-parse HEAD";
  const result = await box.files.run(["bash", "-c", `cd /testbed && ${steps}`], {
    timeoutMs: 120_000,
    asSupervisor: true,
  });
  const commit = /([0-9a-f]{40})\s*$/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !commit) {
    throw new SweReviewError(
      "container_checkout_failed",
      `No git checkout at /testbed in the container: ${result.stderr.trim() || `exit ${result.exitCode}`}`,
    );
  }
  return commit;
}

/** Writes the review data into `/review_data` (through the supervisor: works on a remote engine too), read-only. */
async function putReviewData(box: OpenSandbox, hostDir: string, data: ReviewData): Promise<void> {
  const local = join(hostDir, "review_data");
  writeReviewData(local, data);
  const dir = box.paths.reviewData;
  const made = await box.files.run(["mkdir", "-p", dir], { asSupervisor: true });
  if (made.exitCode !== 0) throw new SweReviewError("sandbox_op_failed", `mkdir ${dir}: ${made.stderr}`);
  for (const name of readdirSync(local)) {
    await box.files.write(posix.join(dir, name), readFileSync(join(local, name)));
  }
  await box.files.run(["chmod", "-R", "a-w", dir], { asSupervisor: true });
}

/**
 * Copies a host checkout into `/testbed` through the engine's API (a remote engine works too): its history made
 * self-contained first (`git repack -a` takes in the objects it borrows), then sent as a tar stream.
 */
async function copyCheckout(box: OpenSandbox, sandbox: ContainerSandbox, checkout: string): Promise<void> {
  await git(["repack", "-a", "-d", "-q"], { cwd: checkout });
  rmSync(join(checkout, ".git", "objects", "info", "alternates"), { force: true });
  const cleared = await box.files.run(["bash", "-c", "rm -rf /testbed && mkdir /testbed"], {
    asSupervisor: true,
  });
  if (cleared.exitCode !== 0) {
    throw new SweReviewError(
      "container_checkout_failed",
      `Could not empty /testbed: ${cleared.stderr.trim()}`,
    );
  }
  const tar = spawn("tar", ["-C", checkout, "--owner=0", "--group=0", "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  tar.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise<number | null>((resolve) => tar.on("close", resolve));
  await sandbox.putArchive(tar.stdout, "/testbed");
  if ((await finished) !== 0) {
    throw new SweReviewError("container_checkout_failed", `Packing ${checkout} failed: ${stderr.trim()}`);
  }
}
