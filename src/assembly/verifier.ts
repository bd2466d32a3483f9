import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../common/atomic-write.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import type { Candidate } from "../data/candidate.js";
import type { Instance } from "../data/instance.js";
import { ContainerEnvironment } from "../harness/run/container-environment.js";
import type { Environment } from "../harness/run/environment.js";
import { SandboxEnvironment } from "../harness/run/sandbox-environment.js";
import type { VerifyResult } from "../harness/run/verify-result.js";
import { verifyWithSpec } from "../harness/run/verify-with-spec.js";
import type { RepoOverrides } from "../workspace/repo-source.js";
import { defaultSetupCacheDir, SetupCache } from "../workspace/setup/setup-cache.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "./workspace-options.js";

/** Decides whether one candidate resolves its instance, by running its tests. */
export interface Verifier {
  /** `logPath`: where to keep the test log; `signal` stops the run (the result is then an `aborted` error). */
  verify(
    instance: Instance,
    candidate: Candidate,
    logPath?: string,
    signal?: AbortSignal,
  ): Promise<VerifyResult>;
}

/**
 * Where the configuration runs instances' tests: with `sandbox.kind: docker`, containers of each instance's image
 * (no host clone: `overrides` and the setup cache do not apply); otherwise sandboxed workspaces from the mirror
 * cache, with setup cached per repository and base (`setupCache`: the default folder unless given, none if false).
 */
export function harnessEnvironmentFrom(
  config: Config,
  options: { overrides?: RepoOverrides; logger: Logger; setupCache?: SetupCache | false },
): Environment {
  const sandbox = sandboxOptionsFrom(config, options.logger);
  if (sandbox.container) {
    const { container, kind: _kind, network: _network, readOnly: _readOnly, ...limits } = sandbox;
    if (options.overrides && options.overrides.size > 0)
      options.logger.warn(
        "--repo is not used with --sandbox docker: the checkout comes from each instance's image",
      );
    return new ContainerEnvironment({
      container,
      hostRoot: workspaceRootFrom(config),
      sandbox: limits,
      logger: options.logger,
    });
  }
  const setupCache =
    options.setupCache === undefined
      ? new SetupCache(defaultSetupCacheDir(), options.logger)
      : options.setupCache || undefined;
  return new SandboxEnvironment({
    cache: repoCacheFrom(config, options.logger),
    root: workspaceRootFrom(config),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    sandbox,
    ...(setupCache ? { setupCache } : {}),
    keep: config.workspace.keep,
    logger: options.logger,
  });
}

/**
 * The harness as this machine's configuration sets it up (`harnessEnvironmentFrom`) with the configured test
 * specs.
 */
export function verifierFrom(
  config: Config,
  options: { overrides?: RepoOverrides; logger: Logger; timeoutMs?: number; setupTimeoutMs?: number },
): Verifier {
  const environment = harnessEnvironmentFrom(config, {
    ...(options.overrides ? { overrides: options.overrides } : {}),
    logger: options.logger,
  });
  return {
    verify: async (instance, candidate, logPath, signal) => {
      const verified = await verifyWithSpec(instance, candidate, {
        environment,
        timeoutMs: options.timeoutMs ?? 1_800_000,
        setupTimeoutMs: options.setupTimeoutMs ?? 1_800_000,
        ...(config.test ? { testConfig: config.test } : {}),
        logger: options.logger,
        ...(signal ? { signal } : {}),
      });
      if (logPath) {
        writeFileSync(logPath, verified.log);
        return { ...verified.result, log: logPath };
      }
      return verified.result;
    },
  };
}

/**
 * The loop's verification hook for one instance: each sample is verified as candidate `<instance>@sample-<n>`,
 * its result kept as `verify.json` (and the test log as `verify.log`) in the sample's round folder.
 */
export function sampleVerifier(
  verifier: Verifier,
  instance: Instance,
  signal?: AbortSignal,
): (sample: number, patch: string, dir: string) => Promise<{ resolved: boolean | null; error?: string }> {
  return async (sample, patch, dir) => {
    mkdirSync(dir, { recursive: true });
    const result = await verifier.verify(
      instance,
      {
        candidate_id: `${instance.instance_id}@sample-${sample}`,
        instance_id: instance.instance_id,
        model_patch: patch,
      },
      join(dir, "verify.log"),
      signal,
    );
    writeJsonAtomic(join(dir, "verify.json"), result);
    return { resolved: result.resolved, ...(result.error ? { error: result.error } : {}) };
  };
}
