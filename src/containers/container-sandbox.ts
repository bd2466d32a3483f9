import { PassThrough } from "node:stream";
import type Dockerode from "dockerode";
import { SweReviewError } from "../common/errors.js";
import {
  COMMAND_ENVIRONMENT,
  DEFAULT_LIMITS,
  type LaunchSpec,
  type Sandbox,
  type SandboxLimits,
  type SandboxPaths,
  type SupervisorProcess,
} from "../workspace/sandbox/sandbox.js";
import { containerLabels } from "./container-labels.js";
import { RUNTIME_DIR, runtimeBundle } from "./runtime-bundle.js";
import { ensureRuntimeVolume } from "./runtime-volume.js";
import { CONDA_ACTIVATE } from "./swe-bench-conda.js";

/** How SWE-bench's images are entered: conda's `testbed` environment, when the image has conda. */
export const CONDA_ACTIVATION = `if [ -f /opt/miniconda3/bin/activate ]; then ${CONDA_ACTIVATE.join(" && ")}; fi`;

/**
 * Open files and processes for every container swe-review starts. Given limits replace the engine's defaults
 * (Podman's exceed common hard limits), so these are values any engine allows; the pids limit bounds processes.
 */
export const ENGINE_SAFE_ULIMITS = [
  { Name: "nofile", Soft: 1024, Hard: 1024 },
  { Name: "nproc", Soft: 4096, Hard: 4096 },
];

/** The longest a container lives by default, whatever happens to swe-review: 6 hours. */
export const DEFAULT_WALL_MS = 6 * 60 * 60 * 1000;

export interface ContainerSandboxOptions {
  docker: Dockerode;
  /** The image to run (present on the engine: see `ensureImage`). */
  image: string;
  /** What the container is for, in its labels (e.g. `review sympy__sympy-20590`). */
  run: string;
  /** Allow network access (external agents calling APIs, or a generator asked to). Off by default: none at all. */
  network?: boolean;
  limits?: Partial<SandboxLimits>;
  /** The container's main process ends by itself after this long (default `DEFAULT_WALL_MS`). */
  wallMs?: number;
}

const PATHS: SandboxPaths = { testbed: "/testbed", reviewData: "/review_data", root: "/", tmp: "/tmp" };

/** What glibc's dynamic loader preloads in every program, whatever the program (see `start`). */
const PRELOAD_FILE = "/etc/ld.so.preload";

/** Capabilities the supervisor keeps (Docker's defaults without raw sockets, mknod, chroot and file capabilities). */
const CAPABILITIES = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP"];

/**
 * A container of the instance's image (SWE-bench's `sweb.eval.*`, a project's CI image): the repository at
 * `/testbed`, deliverables at `/`, a size-capped tmpfs at `/tmp`. The supervisor is the container's main process,
 * run by a runtime of swe-review's own from a read-only volume (so images without Node.js work), talking over the
 * engine's attached streams (so a remote engine works: nothing is mounted from this host). The agent's shell starts
 * as SWE-bench's evaluation does (conda `testbed` active), as root without capabilities; no network unless asked;
 * memory, processes and CPUs limited; the container is removed when it ends, and ends by itself after `wallMs` or
 * as soon as swe-review goes away (its stdin closes).
 */
export class ContainerSandbox implements Sandbox {
  readonly kind = "docker";
  readonly paths = PATHS;
  readonly supervisor = { node: `${RUNTIME_DIR}/bin/node`, script: `${RUNTIME_DIR}/supervisor/main.js` };
  readonly limits: SandboxLimits;
  /** Only the checkout is walked for the disk limit: the image's own files (a conda env) are not the agent's. */
  readonly diskRoots = [PATHS.testbed];
  private container: Dockerode.Container | undefined;
  private removed: Promise<void> | undefined;

  constructor(private readonly options: ContainerSandboxOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** The container's id, once started. */
  get id(): string | undefined {
    return this.container?.id;
  }

  launch(): LaunchSpec {
    throw new SweReviewError(
      "internal_error",
      "A container sandbox is started through the engine, not launched.",
    );
  }

  async start(control: Record<string, string>): Promise<SupervisorProcess> {
    const { docker, image } = this.options;
    const bundle = runtimeBundle();
    const volume = await ensureRuntimeVolume(docker, bundle, image);
    const wallMs = this.options.wallMs ?? DEFAULT_WALL_MS;
    const env = {
      ...control,
      ...COMMAND_ENVIRONMENT,
      SWE_REVIEW_SUPERVISOR_PIDNS: "1",
      // The image's own bash, started through the prefix (no capabilities; root still owns /testbed, as in SWE-bench).
      SWE_REVIEW_SUPERVISOR_BASH: "bash",
      SWE_REVIEW_SUPERVISOR_SHELL_INIT: CONDA_ACTIVATION,
      SWE_REVIEW_SUPERVISOR_RUN_PREFIX: JSON.stringify(bundle.runPrefix),
      SWE_REVIEW_SUPERVISOR_LIFETIME_MS: String(wallMs),
    };
    const limits = this.limits;
    const created = await docker.createContainer({
      Image: image,
      Entrypoint: bundle.supervisorArgv.slice(0, 1),
      Cmd: bundle.supervisorArgv.slice(1),
      Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
      WorkingDir: PATHS.testbed,
      User: "0:0",
      Labels: containerLabels(this.options.run, wallMs),
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
      ...(this.options.network ? {} : { NetworkDisabled: true }),
      HostConfig: {
        AutoRemove: true,
        Init: true,
        NetworkMode: this.options.network ? "bridge" : "none",
        Memory: limits.memoryMb * 1024 * 1024,
        MemorySwap: limits.memoryMb * 1024 * 1024,
        PidsLimit: limits.pidsMax,
        ...(limits.cpus ? { NanoCpus: Math.round(limits.cpus * 1e9) } : {}),
        Tmpfs: {
          "/tmp": `rw,nosuid,nodev,size=${limits.tmpMb}m`,
          "/dev/shm": `rw,nosuid,nodev,size=${limits.tmpMb}m`,
          // The dynamic loader reads /etc/ld.so.preload in every program it starts, before `main`: setpriv, which
          // drops the capabilities of everything the supervisor starts (the agent's shell, `run`), would run a
          // library the agent named there with the supervisor's capabilities. An empty read-only mount (a folder,
          // which the loader cannot map) cannot be written, replaced or removed without CAP_SYS_ADMIN.
          [PRELOAD_FILE]: "ro,nosuid,nodev,noexec,size=4k,mode=0555",
        },
        Ulimits: [
          { Name: "fsize", Soft: limits.diskMb * 1024 * 1024, Hard: limits.diskMb * 1024 * 1024 },
          ...ENGINE_SAFE_ULIMITS,
        ],
        CapDrop: ["ALL"],
        CapAdd: CAPABILITIES,
        SecurityOpt: ["no-new-privileges"],
        Mounts: [{ Type: "volume", Source: volume, Target: RUNTIME_DIR, ReadOnly: true }],
      },
    });
    this.container = created;
    try {
      const stream = (await created.attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
      })) as NodeJS.ReadWriteStream & { destroy(): void; end(): void };
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      docker.modem.demuxStream(stream, stdout, stderr);
      const exitListeners: ((code: number | null, signal: string | null, why?: string) => void)[] = [];
      let ended = false;
      const end = (code: number | null, why?: string) => {
        if (ended) return;
        ended = true;
        stdout.end();
        stderr.end();
        for (const listener of exitListeners) listener(code, null, why);
      };
      stream.on("end", () => end(null));
      stream.on("close", () => end(null));
      stream.on("error", (error: Error) => end(null, error.message));
      await created.start();
      // dockerode sends its attach options as the request's body, which the engine passes on as stdin: a newline
      // makes them a line of their own, which the supervisor ignores.
      stream.write("\n");
      return {
        stdin: stream,
        stdout,
        stderr,
        kill: () => {
          void this.remove();
          stream.destroy();
        },
        onExit: (listener) => {
          exitListeners.push(listener);
        },
      };
    } catch (error) {
      await this.remove();
      throw error;
    }
  }

  /** Unpacks a tar stream at `path` in the running container. */
  async putArchive(tar: NodeJS.ReadableStream, path: string): Promise<void> {
    if (!this.container) throw new SweReviewError("sandbox_gone", "The container has not started.");
    await this.container.putArchive(tar, { path });
  }

  /** Removes the container (it is usually gone already: it removes itself when its main process ends). */
  remove(): Promise<void> {
    const container = this.container;
    if (!container) return Promise.resolve();
    this.removed ??= container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    );
    return this.removed;
  }

  async dispose(): Promise<void> {
    await this.remove();
  }
}
