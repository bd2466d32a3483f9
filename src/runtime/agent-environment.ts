import type { Logger } from "../common/logger.js";
import { redactSecretKeys, secretValuesFromEnv } from "../common/secrets.js";
import type { Config } from "../config/schema.js";
import type { GenerationEnvironment } from "../generate/run-generation.js";
import type { ReviewEnvironment } from "../review/run-review.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../workspace/from-config.js";
import { budgetFrom } from "./agent-budget.js";
import type { RoleModel } from "./role-model.js";

/** What every agent run needs from this machine: the mirror cache, the workspace root, the sandbox, secrets. */
export type WorkspaceEnvironment = Omit<GenerationEnvironment, "outDir">;

/**
 * The workspace environment the configuration describes. `secrets` are values never written to a trajectory or
 * log (the API keys in play); every secret-looking environment variable is added to them.
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
    secrets: [
      ...secrets.filter((value): value is string => Boolean(value)),
      config.model.apiKey ?? "",
      ...secretValuesFromEnv(),
    ].filter(Boolean),
    config: redactSecretKeys(config),
    logger,
  };
}

/** The reviewer's environment: the workspace environment with the reviewer's model and the agent's limits. */
export function reviewEnvironmentFrom(
  config: Config,
  reviewer: RoleModel,
  workspace: WorkspaceEnvironment,
): Omit<ReviewEnvironment, "outDir"> {
  return {
    ...workspace,
    secrets: [...(workspace.secrets ?? []), reviewer.resolved.apiKey ?? ""].filter(Boolean),
    model: reviewer.model,
    budget: budgetFrom(config),
    contextGuard: reviewer.contextGuard,
    securityRisk: config.tools.securityRisk,
    softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
  };
}
