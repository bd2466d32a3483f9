import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { type Logger, silentLogger } from "../common/logger.js";
import { type AgentFile, DELIVERABLE_MAX_BYTES, readAgentFile } from "./agent-file.js";
import { type BaseHistory, baseHistoryOf, provideBaseHistory } from "./base-history.js";
import { createCheckout } from "./checkout.js";
import { removeTree } from "./remove-tree.js";
import type { Mirror, RepoCache } from "./repo-cache.js";
import type { RepoSource } from "./repo-source.js";
import { type ReviewData, writeReviewData } from "./review-data.js";

/** The host folders a sandbox is built from (a workspace provides them). */
export interface SandboxLayout {
  testbed: string;
  reviewData: string;
  /** The private root: deliverables written at `/` land here. */
  rootfs: string;
  tmp: string;
  /** Host paths the sandbox may read at the same path (e.g. the mirror objects the checkout borrows). */
  shared: string[];
}

/** Where workspaces are made: on disk by default, or on tmpfs (`/dev/shm`) for faster checkouts. */
export function defaultWorkspaceRoot(tmpfs = false): string {
  return tmpfs && existsSync("/dev/shm")
    ? "/dev/shm/swe-review-workspaces"
    : join(tmpdir(), "swe-review-workspaces");
}

/** Where a workspace's checkout comes from and where it is made; the caller disposes of the workspace. */
export interface WorkspaceOptions {
  /** The repository: a local folder or a URL git can clone. */
  source: RepoSource;
  /** A commit, branch or tag of the source. */
  base: string;
  /** Mirrors repositories; the checkout borrows the mirror's objects. */
  cache: RepoCache;
  /** The folder workspaces are created in. */
  root: string;
  /**
   * Files put under `/review_data` for a reviewer (the patch, the issue, the PR text); absent for a generator.
   */
  reviewData?: ReviewData;
  logger?: Logger;
}

/** The owner file that lets `cache prune` find workspaces abandoned by a crashed run. */
export const OWNER_FILE = "swe-review-owner.json";

/** The owner file's record: the process that made the workspace. Earlier releases wrote `createdAt` and no version. */
export const WorkspaceOwnerSchema = z.object({
  version: z.literal(1).optional(),
  pid: z.number().int(),
  created_at: z.string().optional(),
});

/** Marks `dir` as this process's: `cache prune` removes it once the process is gone. */
export function writeOwnerFile(dir: string): void {
  const owner: z.infer<typeof WorkspaceOwnerSchema> = {
    version: 1,
    pid: process.pid,
    created_at: new Date().toISOString(),
  };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
}
/** Cached things a live workspace uses (its mirror, its base history, a kept setup): `cache prune` leaves them be. */
export const USES_FILE = "swe-review-uses";

/**
 * One agent's place to work: a checkout of the base commit (its objects: the base's history only), the review data,
 * a private root for deliverables (`/review_report.json`, `/pr_content.json`), a private `/tmp`, and host-only
 * state the agent never sees.
 *
 * ```
 * <dir>/testbed/      the checkout            (/testbed)
 * <dir>/review_data/  the review inputs       (/review_data, read-only)
 * <dir>/rootfs/       the private root        (/)
 * <dir>/tmp/          a private /tmp          (/tmp)
 * <dir>/state/        host-only (edit history, task list)
 * ```
 */
export class Workspace {
  readonly testbed: string;
  readonly reviewData: string;
  readonly rootfs: string;
  readonly tmp: string;
  readonly state: string;

  private constructor(
    readonly dir: string,
    readonly mirror: Mirror,
    /** The objects the checkout borrows, shared read-only with the sandbox: nothing later than the base. */
    readonly history: BaseHistory,
    readonly commit: string,
  ) {
    this.testbed = join(dir, "testbed");
    this.reviewData = join(dir, "review_data");
    this.rootfs = join(dir, "rootfs");
    this.tmp = join(dir, "tmp");
    this.state = join(dir, "state");
  }

  static async create(options: WorkspaceOptions): Promise<Workspace> {
    const logger = options.logger ?? silentLogger;
    const { mirror, commit } = await options.cache.mirrorWith(options.source, options.base);
    mkdirSync(options.root, { recursive: true });
    const dir = join(options.root, `ws-${commit.slice(0, 10)}-${randomBytes(4).toString("hex")}`);
    const history = baseHistoryOf(mirror, commit);
    const workspace = new Workspace(dir, mirror, history, commit);
    try {
      for (const folder of [workspace.reviewData, workspace.rootfs, workspace.tmp, workspace.state]) {
        mkdirSync(folder, { recursive: true });
      }
      writeOwnerFile(dir);
      // Marked before it is made: `cache prune` never removes it underneath this workspace.
      workspace.markInUse(mirror.path, history.path);
      await provideBaseHistory(mirror, history, logger);
      await createCheckout(history.objectsDir, commit, workspace.testbed);
      if (options.reviewData) writeReviewData(workspace.reviewData, options.reviewData);
    } catch (error) {
      await workspace.dispose();
      throw error;
    }
    logger.debug({ dir, commit }, "workspace created");
    return workspace;
  }

  /** Records that this workspace uses cached folders (its objects are borrowed, or it is being unpacked). */
  markInUse(...paths: string[]): void {
    appendFileSync(join(this.dir, USES_FILE), paths.map((path) => `${path}\n`).join(""));
  }

  /** The host folders a sandbox is built from. */
  layout(): SandboxLayout {
    return {
      testbed: this.testbed,
      reviewData: this.reviewData,
      rootfs: this.rootfs,
      tmp: this.tmp,
      shared: [this.history.objectsDir],
    };
  }

  /**
   * A file the agent wrote at the root of its sandbox (e.g. `review_report.json`), read as untrusted (no links,
   * FIFOs, devices or huge files: see `readAgentFile`). Read it only once the sandbox is stopped.
   */
  deliverable(name: string): AgentFile {
    return readAgentFile(join(this.rootfs, name), DELIVERABLE_MAX_BYTES);
  }

  /** Removes the workspace. Asynchronous, so removing a large checkout never stalls other agents' event loop. */
  async dispose(): Promise<void> {
    await removeTree(this.dir);
  }
}
