import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { defaultCacheDir, RepoCache } from "../workspace/repo-cache.js";
import type { OpenSandboxOptions } from "../workspace/sandbox/open.js";
import { defaultWorkspaceRoot } from "../workspace/workspace.js";
import { containerEngineFrom } from "./container-options.js";

/** The mirror cache the configuration names. */
export function repoCacheFrom(config: Config, logger?: Logger): RepoCache {
  return new RepoCache(config.workspace.cacheDir ?? defaultCacheDir(), logger);
}

/** Where this configuration makes workspaces. */
export function workspaceRootFrom(config: Config): string {
  return config.workspace.root ?? defaultWorkspaceRoot(config.workspace.tmpfs);
}

/** Every folder workspaces may have been made in (for pruning). */
export function allWorkspaceRoots(config: Config): string[] {
  return [...new Set([workspaceRootFrom(config), defaultWorkspaceRoot(false), defaultWorkspaceRoot(true)])];
}

/**
 * The sandbox options the configuration's `sandbox:` section gives: kind, limits, read-only folders, container
 * engine.
 */
export function sandboxOptionsFrom(config: Config, logger?: Logger): OpenSandboxOptions {
  return {
    kind: config.sandbox.kind,
    ...(config.sandbox.kind === "docker" ? { container: containerEngineFrom(config, logger) } : {}),
    limits: {
      pidsMax: config.sandbox.pidsMax,
      memoryMb: config.sandbox.memoryMb,
      tmpMb: config.sandbox.tmpMb,
      diskMb: config.sandbox.diskMb,
      ...(config.sandbox.cpus ? { cpus: config.sandbox.cpus } : {}),
    },
    ...(config.sandbox.readOnly.length > 0 ? { readOnly: config.sandbox.readOnly } : {}),
    ...(logger ? { logger } : {}),
  };
}
