import type { Logger } from "../common/logger.js";
import { redactSecretKeys, secretValuesFromEnv } from "../common/secrets.js";
import type { Config } from "../config/schema.js";
import type { ReviewEnvironment } from "../review/run-review.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../workspace/from-config.js";
import { budgetFrom } from "./budget-from.js";
import type { RoleModel } from "./role-models.js";

/**
 * Everything a review needs that the configuration decides, for one reviewer model: budget, workspace cache and
 * root, sandbox, tool settings, and the secrets kept out of trajectories (the model's key, secret-looking
 * environment variables, and any `extraSecrets`). The caller adds where the files go and, if it wants, progress
 * and an abort signal.
 */
export function reviewEnvironmentFrom(
  config: Config,
  logger: Logger,
  reviewer: RoleModel,
  extraSecrets: readonly string[] = [],
): Omit<ReviewEnvironment, "outDir"> {
  return {
    model: reviewer.model,
    budget: budgetFrom(config),
    cache: repoCacheFrom(config, logger),
    workspaceRoot: workspaceRootFrom(config),
    sandbox: sandboxOptionsFrom(config, logger),
    keepWorkspace: config.workspace.keep,
    securityRisk: config.tools.securityRisk,
    softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
    secrets: [reviewer.resolved.apiKey ?? "", ...secretValuesFromEnv(), ...extraSecrets].filter(
      (secret) => secret !== "",
    ),
    config: redactSecretKeys(config),
    logger,
    contextGuard: reviewer.contextGuard,
  };
}
