import { reviewEnvironmentFrom } from "../../assembly/agent-environment.js";
import { roleKey, roleModel } from "../../assembly/role-model.js";
import type { Logger } from "../../common/logger.js";
import type { Config } from "../../config/schema.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { benchItemsOptions, loadBenchItems } from "../items.js";
import { reviewItem } from "../review-item.js";
import type { ReviewRunSpec } from "../spec.js";
import type { BenchExecutor } from "./bench-executor.js";

/** `bench review`: each item is one review of one candidate. */
export async function reviewExecutor(
  spec: ReviewRunSpec,
  config: Config,
  logger: Logger,
): Promise<BenchExecutor> {
  const items = await loadBenchItems(benchItemsOptions(spec.dataset));
  const reviewer = roleModel(config, { ...spec.reviewer, ...roleKey("REVIEWER") }, logger);
  const overrides = parseRepoOverrides(spec.repoOverrides);
  const review = reviewEnvironmentFrom(config, logger, reviewer);
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
