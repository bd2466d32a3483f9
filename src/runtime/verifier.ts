import { writeFileSync } from "node:fs";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import type { Candidate } from "../data/candidate.js";
import type { Instance } from "../data/instance.js";
import { SandboxEnvironment } from "../harness/run/sandbox-environment.js";
import { defaultSetupCacheDir, SetupCache } from "../harness/run/setup-cache.js";
import type { VerifyResult } from "../harness/run/verify-result.js";
import { verifyWithSpec } from "../harness/run/verify-with-spec.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../workspace/from-config.js";
import type { RepoOverrides } from "../workspace/repo-source.js";

/** Decides whether one candidate resolves its instance, by running its tests. */
export interface Verifier {
  /** `logPath`: where to keep the test log. */
  verify(instance: Instance, candidate: Candidate, logPath?: string): Promise<VerifyResult>;
}

/**
 * The harness as this machine's configuration sets it up: sandboxed workspaces from the mirror cache, setup cached
 * per repository and base, the configured test specs.
 */
export function verifierFrom(
  config: Config,
  options: { overrides?: RepoOverrides; logger: Logger; timeoutMs?: number; setupTimeoutMs?: number },
): Verifier {
  const environment = new SandboxEnvironment({
    cache: repoCacheFrom(config, options.logger),
    root: workspaceRootFrom(config),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    sandbox: sandboxOptionsFrom(config, options.logger),
    setupCache: new SetupCache(defaultSetupCacheDir(), options.logger),
    keep: config.workspace.keep,
    logger: options.logger,
  });
  return {
    verify: async (instance, candidate, logPath) => {
      const verified = await verifyWithSpec(instance, candidate, {
        environment,
        timeoutMs: options.timeoutMs ?? 1_800_000,
        setupTimeoutMs: options.setupTimeoutMs ?? 1_800_000,
        ...(config.test ? { testConfig: config.test } : {}),
        logger: options.logger,
      });
      if (logPath) {
        writeFileSync(logPath, verified.log);
        return { ...verified.result, log: logPath };
      }
      return verified.result;
    },
  };
}
