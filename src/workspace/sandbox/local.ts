import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SandboxLayout } from "../workspace.js";
import { CgroupLimits } from "./cgroup.js";
import { launchWrapper } from "./launch-wrapper.js";
import {
  cleanEnvironment,
  DEFAULT_LIMITS,
  type LaunchSpec,
  type Sandbox,
  type SandboxLimits,
} from "./sandbox.js";
import { supervisorFiles } from "./supervisor-files.js";

/**
 * No isolation: commands run as the current user on the real file system, in the workspace's folders, whose real
 * paths the agent's instruction names. Only when asked for (`--sandbox local`). The environment is still clean
 * (no API keys), and limits apply where cgroups are writable.
 */
export class LocalSandbox implements Sandbox {
  readonly kind = "local";
  readonly paths;
  readonly supervisor;
  readonly limits: SandboxLimits;
  private readonly cgroup: CgroupLimits | undefined;
  private readonly home: string;

  constructor(
    private readonly layout: SandboxLayout,
    options: { name: string; limits?: Partial<SandboxLimits> },
  ) {
    this.paths = {
      testbed: layout.testbed,
      reviewData: layout.reviewData,
      root: layout.rootfs,
      tmp: layout.tmp,
    };
    this.supervisor = { node: process.execPath, script: supervisorFiles().script };
    this.home = join(layout.rootfs, "root");
    mkdirSync(this.home, { recursive: true });
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.cgroup = CgroupLimits.create(options.name, this.limits);
  }

  launch(argv: string[], env: Record<string, string>): LaunchSpec {
    // A file may not grow past the disk limit; the supervisor watches the total.
    const wrapped = launchWrapper(["prlimit", `--fsize=${this.limits.diskMb * 1024 * 1024}`, "--", ...argv], {
      cgroupProcs: this.cgroup?.procsFiles ?? [],
      keepFd3: false,
    });
    return {
      ...wrapped,
      env: {
        ...cleanEnvironment({
          home: this.home,
          path: process.env.PATH ?? "/usr/bin:/bin",
          tmp: this.layout.tmp,
        }),
        ...env,
      },
      cwd: this.layout.testbed,
    };
  }

  async dispose(): Promise<void> {
    await this.cgroup?.dispose();
  }
}
