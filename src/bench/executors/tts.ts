import { reviewEnvironmentFrom, workspaceEnvironmentFrom } from "../../assembly/agent-environment.js";
import { generatorFrom, generatorSecrets } from "../../assembly/generator.js";
import { roleKey, roleModel } from "../../assembly/role-model.js";
import { sampleVerifier, verifierFrom } from "../../assembly/verifier.js";
import type { Logger } from "../../common/logger.js";
import type { Config } from "../../config/schema.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { benchItemsOptions, loadBenchItems } from "../items.js";
import type { TtsRunSpec } from "../spec.js";
import { ttsItem } from "../tts-item.js";
import type { BenchExecutor } from "./bench-executor.js";

/** `bench tts`: each item is one loop on one instance, its samples verified by the instance's tests. */
export async function ttsExecutor(spec: TtsRunSpec, config: Config, logger: Logger): Promise<BenchExecutor> {
  const items = await loadBenchItems(benchItemsOptions(spec.dataset, true));
  const overrides = parseRepoOverrides(spec.repoOverrides);
  const reviewer = roleModel(config, { ...spec.reviewer, ...roleKey("REVIEWER") }, logger);
  const generator = generatorFrom({ ...spec.generator, ...roleKey("GENERATOR") }, config, logger);
  const workspace = workspaceEnvironmentFrom(config, logger, generatorSecrets(generator));
  const verifier = spec.verify
    ? verifierFrom(config, { overrides, logger, timeoutMs: spec.verifyTimeoutSeconds * 1000 })
    : undefined;
  return {
    items,
    settings: {
      reviewer: { name: reviewer.resolved.name, provider: reviewer.resolved.provider },
      generator: spec.generator.generator ?? config.model.name ?? null,
      strategy: spec.strategy,
      budget: spec.budget,
    },
    execute: (item, itemDir, signal) =>
      ttsItem(item, itemDir, {
        request: {
          strategy: spec.strategy,
          budget: spec.budget,
          noVerdict: spec.noVerdict,
          fallback: spec.fallback,
          fromPrevious: spec.fromPrevious,
        },
        loop: {
          generator,
          generation: workspace,
          review: reviewEnvironmentFrom(config, logger, reviewer, [], workspace),
        },
        ...(verifier ? { verify: (entry, stop) => sampleVerifier(verifier, entry.instance, stop) } : {}),
        overrides,
        attempts: spec.attempts,
        ...(spec.retryDelayMs === undefined ? {} : { retryDelayMs: spec.retryDelayMs }),
        logger,
        ...(signal ? { signal } : {}),
      }),
  };
}
