import { existsSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import type { SandboxLayout } from "../workspace.js";
import {
  type Mount,
  mountArguments,
  mountPlan,
  mountPlanSymlinks,
  procKnobMounts,
  type ReadOnlyMount,
  SUPERVISOR_BASH,
  SUPERVISOR_DIR,
  SUPERVISOR_NODE,
} from "./bwrap-mounts.js";
import { CgroupLimits } from "./cgroup.js";
import { findProgram } from "./find-program.js";
import { launchWrapper } from "./launch-wrapper.js";
import {
  cleanEnvironment,
  DEFAULT_LIMITS,
  type LaunchSpec,
  type Sandbox,
  type SandboxLimits,
  type SandboxPaths,
} from "./sandbox.js";
import {
  giveToSandboxUser,
  type SandboxUser,
  sandboxUser,
  stageDirectory,
  stageMounts,
} from "./sandbox-user.js";
import { seccompFilter } from "./seccomp.js";

export interface BwrapOptions {
  layout: SandboxLayout;
  /** Allow network access (external coding agents that call APIs). Off by default: loopback only. */
  network?: boolean;
  limits?: Partial<SandboxLimits>;
  /** More host paths to expose read-only at the same place (toolchains outside /usr and /opt). */
  readOnly?: string[];
  /** Host folders exposed read-only at another place (see `MountPlanOptions.readOnlyAt`). */
  readOnlyAt?: readonly ReadOnlyMount[];
  /** Names for the cgroup; unique per sandbox. */
  name: string;
}

export { SYSTEM_DIRS } from "./bwrap-mounts.js";

const SANDBOX_PATHS: SandboxPaths = {
  testbed: "/testbed",
  reviewData: "/review_data",
  root: "/",
  tmp: "/tmp",
};
/** The PATH commands in a bubblewrap sandbox start with. */
export const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Finds `bwrap`, or explains how to install it or opt out. */
export function findBwrap(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "bwrap");
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new SweReviewError(
    "sandbox_unavailable",
    "bubblewrap (bwrap) is not installed, and agents' commands must run in a sandbox. Install it " +
      "(Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), " +
      "or run without isolation with --sandbox local.",
    { exitCode: 3 },
  );
}

/**
 * bubblewrap: the checkout read-write at /testbed, review data read-only at /review_data, a private writable root,
 * a size-capped tmpfs at /tmp, system folders read-only with credential files masked, kernel knobs read-only, no
 * home folders, a clean environment, its own user (root inside, without capabilities; an unprivileged uid outside,
 * also when swe-review runs as root), PID, IPC, UTS and network namespaces (loopback only), a file size limit, a
 * new session, and it dies with its parent.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = "bwrap";
  readonly paths = SANDBOX_PATHS;
  readonly supervisor = { node: SUPERVISOR_NODE, script: `${SUPERVISOR_DIR}/supervisor/main.js` };
  private readonly bwrap: string;
  private readonly setpriv: string | undefined;
  private readonly cgroup: CgroupLimits | undefined;
  readonly limits: SandboxLimits;
  /** Who the sandbox runs as on the host when we are root; undefined otherwise (bwrap maps its root to us). */
  readonly user: SandboxUser | undefined;

  constructor(private readonly options: BwrapOptions) {
    this.bwrap = findBwrap();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.user = sandboxUser(options.name);
    this.setpriv = this.user ? findProgram("setpriv") : undefined;
    this.cgroup = CgroupLimits.create(options.name, this.limits);
  }

  async prepare(): Promise<void> {
    const { layout } = this.options;
    clearSkeleton(layout.rootfs);
    if (this.user) await giveToSandboxUser(this.user, [layout.testbed, layout.rootfs]);
  }

  launch(argv: string[], env: Record<string, string>): LaunchSpec {
    const environment = {
      ...cleanEnvironment({ home: "/root", path: SANDBOX_PATH, tmp: "/tmp" }),
      ...env,
      SWE_REVIEW_SUPERVISOR_PIDNS: "1",
      SWE_REVIEW_SUPERVISOR_BASH: SUPERVISOR_BASH,
    };
    const mounts = mountPlan({
      layout: this.options.layout,
      tmpBytes: this.limits.tmpMb * 1024 * 1024,
      ...(this.options.readOnly ? { readOnly: this.options.readOnly } : {}),
      ...(this.options.readOnlyAt ? { readOnlyAt: this.options.readOnlyAt } : {}),
    });
    // A file may not grow past the disk limit (a single `fallocate -l 30G` fails at once); the supervisor watches
    // the total.
    const fileLimit = ["prlimit", `--fsize=${this.limits.diskMb * 1024 * 1024}`, "--"];
    const filter = seccompFilter();
    const sandboxOptions = {
      network: this.options.network ?? false,
      env: environment,
      shmBytes: this.limits.tmpMb * 1024 * 1024,
      seccomp: filter !== undefined,
    };
    let command: string[];
    if (this.user && this.setpriv) {
      const { stageArgs, mounts: staged } = stageMounts(mounts, stageDirectory());
      command = [
        this.bwrap,
        // The host as it is (devices usable: --bind would make them nodev), plus the stage.
        "--dev-bind",
        "/",
        "/",
        ...stageArgs,
        "--die-with-parent",
        "--",
        this.setpriv,
        `--reuid=${this.user.uid}`,
        `--regid=${this.user.gid}`,
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
        ...fileLimit,
        this.bwrap,
        ...bwrapArguments(staged, sandboxOptions),
        "--",
        ...argv,
      ];
    } else {
      command = [...fileLimit, this.bwrap, ...bwrapArguments(mounts, sandboxOptions), "--", ...argv];
    }
    const wrapped = launchWrapper(command, {
      cgroupProcs: this.cgroup?.procsFiles ?? [],
      keepFd3: filter !== undefined,
    });
    return {
      file: wrapped.file,
      args: wrapped.args,
      env: { PATH: process.env.PATH ?? SANDBOX_PATH },
      ...(filter ? { fd3: filter } : {}),
    };
  }

  async dispose(): Promise<void> {
    await this.cgroup?.dispose();
  }
}

/** The sandboxing bwrap's command line (without the program to run). Pure, so tests can read it. */
export function bwrapArguments(
  mounts: readonly Mount[],
  options: {
    network: boolean;
    env: Record<string, string>;
    /** Size of /dev/shm. */
    shmBytes: number;
    /** A seccomp filter comes on file descriptor 3. */
    seccomp: boolean;
  },
): string[] {
  const args = [
    ...mountArguments(mounts),
    "--proc",
    "/proc",
    ...mountArguments(procKnobMounts()),
    "--dev",
    "/dev",
    // /dev is a tmpfs of bubblewrap's: read-only (its devices still work), with a /dev/shm the size of /tmp.
    "--size",
    String(options.shmBytes),
    "--tmpfs",
    "/dev/shm",
    "--remount-ro",
    "/dev",
    "--unshare-user",
    // No user namespaces inside: they are where most kernel privilege escalations start.
    "--disable-userns",
    "--uid",
    "0",
    "--gid",
    "0",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--hostname",
    "sandbox",
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--new-session",
    "--chdir",
    "/testbed",
    "--clearenv",
  ];
  if (!options.network) args.push("--unshare-net");
  if (options.seccomp) args.push("--seccomp", "3");
  for (const [key, value] of Object.entries(options.env)) args.push("--setenv", key, value);
  return args;
}

/**
 * Removes what stands where bubblewrap makes the private root's top-level symlinks (/bin → usr/bin): bubblewrap
 * will not make one over anything, and what an earlier session in this workspace left there (a /lib64 of its own
 * with a loader in it) must not be what the next one runs. Nothing is followed: a link is removed, not its target.
 */
function clearSkeleton(rootfs: string): void {
  for (const mount of mountPlanSymlinks()) rmSync(join(rootfs, mount.dest), { recursive: true, force: true });
}
