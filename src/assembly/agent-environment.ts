import type { WorkspaceSetupSettings } from "../agent-place/agent-setup.js";
import type { Logger } from "../common/logger.js";
import { urlSecrets } from "../common/redact-url.js";
import { redactRecord, secretValuesFromEnv } from "../common/secrets.js";
import type { Config } from "../config/schema.js";
import type { GenerationEnvironment } from "../generate/generation.js";
import type { ReviewEnvironment } from "../review/run-review.js";
import { defaultSetupCacheDir, SetupCache } from "../workspace/setup/setup-cache.js";
import { budgetFrom } from "./agent-budget.js";
import type { RoleModel } from "./role-model.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "./workspace-options.js";

/** What every agent run needs from this machine: the mirror cache, the workspace root, the sandbox, secrets. */
export type WorkspaceEnvironment = Omit<GenerationEnvironment, "outDir">;

/**
 * The workspace environment the configuration describes. `secrets` are values never written to a trajectory or
 * log (the API keys in play, the credentials of the configured base URL); every secret-looking environment
 * variable is added to them.
 */
export function workspaceEnvironmentFrom(
  config: Config,
  logger: Logger,
  secrets: readonly (string | undefined)[] = [],
): WorkspaceEnvironment {
  return {
    cache: repoCacheFrom(config, logger),
    workspaceRoot: workspaceRootFrom(config),
    sandbox: sandboxOptionsFrom(config, logger),
    setup: setupSettingsFrom(config, logger),
    keepWorkspace: config.workspace.keep,
    secrets: [
      ...secrets.filter((value): value is string => Boolean(value)),
      config.model.apiKey ?? "",
      ...urlSecrets(config.model.baseUrl),
      ...secretValuesFromEnv(),
    ].filter(Boolean),
    config: redactRecord(config),
    logger,
  };
}

/** How agents' workspaces are prepared, as the configuration says (`setup:`, and `test:` for its spec's setup). */
export function setupSettingsFrom(config: Config, logger: Logger): WorkspaceSetupSettings {
  const { commands, env } = config.setup;
  return {
    enabled: config.setup.enabled,
    ...(commands === undefined ? {} : { commands: typeof commands === "string" ? [commands] : commands }),
    ...(env ? { env } : {}),
    timeoutMs: config.setup.timeoutSeconds * 1000,
    cache: new SetupCache(defaultSetupCacheDir(), logger),
    ...(config.test ? { test: config.test } : {}),
  };
}

/**
 * Everything a review needs that the configuration decides, for one reviewer model: budget, workspace cache and
 * root, sandbox, tool settings, and the secrets kept out of trajectories (the model's key, secret-looking
 * environment variables, and any `extraSecrets`). The caller adds where the files go and, if it wants, progress
 * and an abort signal. `workspace`: share one with a generator (the loop) instead of making another.
 */
export function reviewEnvironmentFrom(
  config: Config,
  logger: Logger,
  reviewer: RoleModel,
  extraSecrets: readonly string[] = [],
  workspace: WorkspaceEnvironment = workspaceEnvironmentFrom(config, logger, extraSecrets),
): Omit<ReviewEnvironment, "outDir"> {
  return {
    ...workspace,
    secrets: [
      ...(workspace.secrets ?? []),
      ...extraSecrets,
      reviewer.resolved.apiKey ?? "",
      ...urlSecrets(reviewer.resolved.baseUrl),
    ].filter(Boolean),
    model: reviewer.model,
    budget: budgetFrom(config),
    contextGuard: reviewer.contextGuard,
    securityRisk: config.tools.securityRisk,
    softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
  };
}
