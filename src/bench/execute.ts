import type { Logger } from "../common/logger.js";
import { redactSecretKeys, secretValuesFromEnv } from "../common/secrets.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { budgetFrom } from "../runtime/agent-budget.js";
import { roleModel } from "../runtime/role-model.js";
import { repoCacheFrom, sandboxOptionsFrom, workspaceRootFrom } from "../workspace/from-config.js";
import { parseRepoOverrides } from "../workspace/repo-source.js";
import { type BenchItem, type BenchItems, loadBenchItems } from "./items.js";
import type { InstanceResult } from "./records.js";
import { reviewItem } from "./review-item.js";
import type { RunSpec } from "./spec.js";

/** Does one item of a run: everything a pool or a queue worker needs. */
export interface BenchExecutor {
  items: BenchItems;
  /** The item's result, or undefined when aborted (nothing to record). */
  execute(item: BenchItem, itemDir: string, signal?: AbortSignal): Promise<InstanceResult | undefined>;
  /** run.json settings: who did the work (secrets redacted). */
  settings: Record<string, unknown>;
}

/**
 * Rebuilds the work of a run from its spec and this process's configuration (API keys, sandbox, cache). The spec's
 * own choices (models, mode, step limit, sandbox kind) win over the configuration.
 */
export async function executorFor(
  spec: RunSpec,
  options: { config?: Config; logger: Logger },
): Promise<BenchExecutor> {
  const config = applySpec(options.config ?? loadConfig().config, spec);
  const { logger } = options;
  const items = await loadBenchItems({
    dataset: spec.dataset.path,
    ...(spec.dataset.candidates ? { candidates: spec.dataset.candidates } : {}),
    ...(spec.dataset.split ? { split: spec.dataset.split } : {}),
    ...(spec.dataset.instances ? { instances: spec.dataset.instances } : {}),
  });
  const reviewer = roleModel(config, { ...spec.reviewer }, logger);
  const overrides = parseRepoOverrides(spec.repoOverrides);
  const review = {
    model: reviewer.model,
    budget: budgetFrom(config),
    cache: repoCacheFrom(config, logger),
    workspaceRoot: workspaceRootFrom(config),
    sandbox: sandboxOptionsFrom(config, logger),
    contextGuard: reviewer.contextGuard,
    securityRisk: config.tools.securityRisk,
    softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
    secrets: [reviewer.resolved.apiKey ?? "", ...secretValuesFromEnv()],
    config: redactSecretKeys(config),
    logger,
  };
  return {
    items,
    settings: { reviewer: { name: reviewer.resolved.name, provider: reviewer.resolved.provider } },
    execute: (item, itemDir, signal) =>
      reviewItem(item, itemDir, {
        review,
        mode: spec.mode,
        overrides,
        attempts: spec.attempts,
        ...(spec.retryDelayMs === undefined ? {} : { retryDelayMs: spec.retryDelayMs }),
        logger,
        ...(signal ? { signal } : {}),
      }),
  };
}

function applySpec(config: Config, spec: RunSpec): Config {
  return {
    ...config,
    agent: { ...config.agent, ...(spec.maxSteps ? { maxSteps: spec.maxSteps } : {}) },
    sandbox: { ...config.sandbox, ...(spec.sandbox ? { kind: spec.sandbox } : {}) },
  };
}
