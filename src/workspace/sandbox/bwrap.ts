import { existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { SweReviewError } from "../../common/errors.js";
import { CgroupLimits } from "./cgroup.js";
import {
  cleanEnvironment,
  DEFAULT_LIMITS,
  type LaunchSpec,
  type Sandbox,
  type SandboxLayout,
  type SandboxLimits,
  type SandboxPaths,
} from "./sandbox.js";
import { supervisorFiles } from "./supervisor-files.js";

export interface BwrapOptions {
  layout: SandboxLayout;
  /** Allow network access (external coding agents that call APIs). Off by default: loopback only. */
  network?: boolean;
  limits?: SandboxLimits;
  /** More host paths to expose read-only at the same place (toolchains outside /usr and /opt). */
  readOnly?: string[];
  /** Names for the cgroup; unique per sandbox. */
  name: string;
}

const SANDBOX_PATHS: SandboxPaths = {
  testbed: "/testbed",
  reviewData: "/review_data",
  root: "/",
  tmp: "/tmp",
};
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
const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const SUPERVISOR_DIR = "/.swe-review";

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
 * bubblewrap: the checkout read-write at /testbed, review data read-only at /review_data, a private writable root
 * and /tmp, system folders read-only with credential files masked, no home folders, a clean environment, its own
 * user (root, without capabilities), PID, IPC, UTS and network namespaces (loopback only), a new session, and it
 * dies with its parent.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = "bwrap";
  readonly paths = SANDBOX_PATHS;
  readonly supervisor = { node: process.execPath, script: `${SUPERVISOR_DIR}/supervisor/main.js` };
  private readonly bwrap: string;
  private readonly cgroup: CgroupLimits | undefined;

  constructor(private readonly options: BwrapOptions) {
    this.bwrap = findBwrap();
    prepareRootfs(options.layout.rootfs);
    this.cgroup = CgroupLimits.create(options.name, options.limits ?? DEFAULT_LIMITS);
  }

  launch(argv: string[], env: Record<string, string>): LaunchSpec {
    const args = bwrapArguments(this.options, {
      ...cleanEnvironment({ home: "/root", path: SANDBOX_PATH, tmp: "/tmp" }),
      ...env,
      SWE_REVIEW_SUPERVISOR_PIDNS: "1",
    });
    const command = [this.bwrap, ...args, "--", ...argv];
    const [file = this.bwrap, ...rest] = command;
    const wrapped = this.cgroup ? this.cgroup.wrap(file, rest) : { file, args: rest };
    return { file: wrapped.file, args: wrapped.args, env: { PATH: process.env.PATH ?? SANDBOX_PATH } };
  }

  async dispose(): Promise<void> {
    await this.cgroup?.dispose();
  }
}

/** The bwrap command line (without the program to run). Pure, so tests can read it. */
export function bwrapArguments(options: BwrapOptions, env: Record<string, string>): string[] {
  const { layout } = options;
  const args: string[] = ["--bind", layout.rootfs, "/"];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir) || lstatSync(dir).isSymbolicLink()) continue; // symlinks are recreated in the rootfs
    args.push("--ro-bind", dir, dir);
  }
  for (const file of ETC_SECRETS) if (existsSync(file)) args.push("--ro-bind", "/dev/null", file);
  for (const dir of ETC_SECRET_DIRS) if (existsSync(dir)) args.push("--tmpfs", dir);
  const node = dirname(process.execPath);
  if (!SYSTEM_DIRS.some((dir) => node === dir || node.startsWith(`${dir}/`)))
    args.push("--ro-bind", node, node);
  const supervisor = supervisorFiles();
  args.push(
    "--ro-bind",
    supervisor.packageJson,
    `${SUPERVISOR_DIR}/package.json`,
    "--ro-bind",
    supervisor.dir,
    `${SUPERVISOR_DIR}/supervisor`,
    "--bind",
    layout.testbed,
    "/testbed",
    "--ro-bind",
    layout.reviewData,
    "/review_data",
    "--bind",
    layout.tmp,
    "/tmp",
  );
  // Last, so they stay visible even under /tmp or /testbed (mounts made later hide earlier ones).
  for (const path of [...layout.shared, ...(options.readOnly ?? [])]) args.push("--ro-bind", path, path);
  args.push(
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--unshare-user",
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
  );
  if (!options.network) args.push("--unshare-net");
  for (const [key, value] of Object.entries(env)) args.push("--setenv", key, value);
  return args;
}

/** Mount points and the host's top-level symlinks (/bin → usr/bin on merged-/usr systems) in the private root. */
function prepareRootfs(rootfs: string): void {
  for (const dir of ["root", "var/tmp", SUPERVISOR_DIR.slice(1)])
    mkdirSync(join(rootfs, dir), { recursive: true });
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir) || !lstatSync(dir).isSymbolicLink()) continue;
    const link = join(rootfs, dir);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(readlinkSync(dir), link);
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
