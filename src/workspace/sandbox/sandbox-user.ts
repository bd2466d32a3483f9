import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { isSystemPath, type Mount } from "./bwrap-mounts.js";

/**
 * Who a sandbox runs as on the host when swe-review runs as root. Run as root, bubblewrap maps the sandbox's root
 * to the host's: kernel knobs such as /proc/sys/kernel/core_pattern stay writable and one write there runs a
 * program as host root. So as root, each sandbox runs as an unprivileged uid of its own (root inside, that uid
 * outside), and what it must see is staged where that uid can reach it.
 */
export interface SandboxUser {
  uid: number;
  gid: number;
}

/** Sandbox uids: a range no login account uses (below 2^31, which some tools treat as signed). */
const UID_BASE = 1_000_000_000;
const UID_SPAN = 1_000_000_000;

/** The unprivileged user for the sandbox named `name`, or undefined when swe-review is not root (bwrap maps to us). */
export function sandboxUser(
  name: string,
  uid: number | undefined = process.getuid?.(),
): SandboxUser | undefined {
  if (uid !== 0) return undefined;
  const id = UID_BASE + (createHash("sha256").update(name).digest().readUInt32BE(0) % UID_SPAN);
  return { uid: id, gid: id };
}

/**
 * Hands the folders the agent writes to the sandbox's user (`chown -R` without following links: a link the agent
 * left must not hand over what it points to). Runs while nothing runs in the sandbox.
 */
export function giveToSandboxUser(user: SandboxUser, folders: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("chown", ["-R", "--no-dereference", `${user.uid}:${user.gid}`, "--", ...folders], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => reject(error));
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new SweReviewError(
              "sandbox_start_failed",
              `Could not hand the workspace to the sandbox's user (chown exit ${code}): ${stderr.trim()}`,
            ),
          ),
    );
  });
}

/** Where bind sources are staged for the unprivileged bubblewrap (a private tmpfs in a mount namespace of its own). */
export function stageDirectory(): string {
  const dir =
    existsSync("/run") && statSync("/run").isDirectory() ? "/run/swe-review-stage" : "/tmp/swe-review-stage";
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/**
 * Bind sources the sandbox's user may not reach (a cache under /root, Node under ~/.nvm) are bound by root, in a
 * mount namespace of the launch's own, at `<stage>/<n>`; the unprivileged bubblewrap binds them from there. System
 * folders are bound directly. Returns the staging bwrap's mount arguments and the mounts rewritten to the stage.
 */
export function stageMounts(
  mounts: readonly Mount[],
  stage: string,
): { stageArgs: string[]; mounts: Mount[] } {
  const stageArgs: string[] = ["--tmpfs", stage];
  const staged = mounts.map((mount, index): Mount => {
    if ((mount.type !== "bind" && mount.type !== "ro-bind") || isSystemPath(mount.source)) return mount;
    const at = join(stage, String(index));
    stageArgs.push(mount.type === "bind" ? "--bind" : "--ro-bind", mount.source, at);
    return { ...mount, source: at };
  });
  return { stageArgs, mounts: staged };
}
