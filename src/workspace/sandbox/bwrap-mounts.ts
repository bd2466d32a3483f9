import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { SandboxLayout } from "../workspace.js";
import { executeOnlyCopy } from "./execute-only.js";
import { findProgram } from "./find-program.js";
import { supervisorFiles } from "./supervisor-files.js";

/** One mount of the sandbox's file system, in the order bubblewrap makes them (later ones hide earlier ones). */
export type Mount =
  | { type: "bind" | "ro-bind"; source: string; dest: string }
  /** A folder or symlink made in the private root by bubblewrap (as the sandbox's user, never by the host). */
  | { type: "dir"; dest: string }
  | { type: "symlink"; target: string; dest: string }
  | { type: "tmpfs"; dest: string; sizeBytes?: number }
  /** Covers a path of the new /proc read-only, when the kernel shows it there. */
  | { type: "proc-ro"; dest: string };

export const SYSTEM_DIRS = ["/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
/** Files and folders under /etc that hold credentials: hidden even though /etc is visible. */
const ETC_SECRETS = [
  "/etc/shadow",
  "/etc/shadow-",
  "/etc/gshadow",
  "/etc/gshadow-",
  "/etc/sudoers",
  "/etc/security/opasswd",
];
const ETC_SECRET_DIRS = ["/etc/ssh", "/etc/ssl/private", "/etc/sudoers.d"];
/** Kernel interfaces under /proc: read-only, whoever the sandbox runs as. (There is no /sys at all.) */
const PROC_KNOBS = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/acpi"];
export const SUPERVISOR_DIR = "/.swe-review";
/** The supervisor's Node and the agent's shell, execute-only so that nothing in the sandbox can take them over. */
export const SUPERVISOR_NODE = `${SUPERVISOR_DIR}/bin/node`;
export const SUPERVISOR_BASH = `${SUPERVISOR_DIR}/bin/bash`;

export interface MountPlanOptions {
  layout: SandboxLayout;
  /** Size of the sandbox's /tmp (a tmpfs of its own). */
  tmpBytes: number;
  /** More host paths exposed read-only at the same place. */
  readOnly?: readonly string[];
  /** Host folders exposed read-only at another place (a worktree's `node_modules` at `/testbed/node_modules`). */
  readOnlyAt?: readonly ReadOnlyMount[];
}

/** A host folder exposed read-only at another path inside a bubblewrap sandbox. */
export interface ReadOnlyMount {
  /** The host path. */
  source: string;
  /** Where the sandbox sees it. */
  dest: string;
}

/**
 * The sandbox's file system: a private root; the system folders read-only with credentials masked; Node and the
 * supervisor read-only; the checkout read-write at /testbed; the review data read-only at /review_data; a
 * size-capped tmpfs at /tmp; the paths the checkout needs (its object store) read-only at their own place.
 * Pure apart from looking at which system folders exist, so tests can read it.
 */
export function mountPlan(options: MountPlanOptions): Mount[] {
  const { layout } = options;
  const mounts: Mount[] = [
    { type: "bind", source: layout.rootfs, dest: "/" },
    { type: "dir", dest: "/root" },
    { type: "dir", dest: "/var/tmp" },
  ];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    // The host's top-level symlinks (/bin → usr/bin on merged-/usr systems) are made again inside.
    if (lstatSync(dir).isSymbolicLink())
      mounts.push({ type: "symlink", target: readlinkSync(dir), dest: dir });
    else mounts.push({ type: "ro-bind", source: dir, dest: dir });
  }
  for (const file of ETC_SECRETS)
    if (existsSync(file)) mounts.push({ type: "ro-bind", source: "/dev/null", dest: file });
  for (const dir of ETC_SECRET_DIRS) if (existsSync(dir)) mounts.push({ type: "tmpfs", dest: dir });
  const node = dirname(process.execPath);
  if (!isSystemPath(node)) mounts.push({ type: "ro-bind", source: node, dest: node });
  const supervisor = supervisorFiles();
  mounts.push(
    { type: "ro-bind", source: executeOnlyCopy(process.execPath), dest: SUPERVISOR_NODE },
    { type: "ro-bind", source: executeOnlyCopy(findProgram("bash")), dest: SUPERVISOR_BASH },
    { type: "ro-bind", source: supervisor.packageJson, dest: `${SUPERVISOR_DIR}/package.json` },
    { type: "ro-bind", source: supervisor.dir, dest: `${SUPERVISOR_DIR}/supervisor` },
    { type: "bind", source: layout.testbed, dest: "/testbed" },
    { type: "ro-bind", source: layout.reviewData, dest: "/review_data" },
    { type: "tmpfs", dest: "/tmp", sizeBytes: options.tmpBytes },
  );
  // Last, so they stay visible even under /tmp or /testbed (mounts made later hide earlier ones).
  for (const path of [...layout.shared, ...(options.readOnly ?? [])])
    mounts.push({ type: "ro-bind", source: path, dest: path });
  for (const { source, dest } of options.readOnlyAt ?? []) mounts.push({ type: "ro-bind", source, dest });
  return mounts;
}

/** The system folders that are symlinks on the host, made again as symlinks in the private root. */
export function mountPlanSymlinks(): Array<Extract<Mount, { type: "symlink" }>> {
  return SYSTEM_DIRS.filter((dir) => existsSync(dir) && lstatSync(dir).isSymbolicLink()).map((dir) => ({
    type: "symlink",
    target: readlinkSync(dir),
    dest: dir,
  }));
}

/** Covers for the kernel's knobs, made after /proc is mounted. */
export function procKnobMounts(): Mount[] {
  return PROC_KNOBS.map((dest) => ({ type: "proc-ro", dest }));
}

export function isSystemPath(path: string): boolean {
  return SYSTEM_DIRS.some((dir) => path === dir || path.startsWith(`${dir}/`)) || path === "/dev/null";
}

/** bubblewrap's arguments for the mounts, in order. */
export function mountArguments(mounts: readonly Mount[]): string[] {
  const args: string[] = [];
  for (const mount of mounts) {
    switch (mount.type) {
      case "bind":
      case "ro-bind":
        args.push(`--${mount.type}`, mount.source, mount.dest);
        break;
      case "tmpfs":
        if (mount.sizeBytes !== undefined) args.push("--size", String(mount.sizeBytes));
        args.push("--tmpfs", mount.dest);
        break;
      case "proc-ro":
        args.push("--ro-bind-try", mount.dest, mount.dest);
        break;
      case "dir":
        args.push("--dir", mount.dest);
        break;
      case "symlink":
        args.push("--symlink", mount.target, mount.dest);
        break;
    }
  }
  return args;
}
