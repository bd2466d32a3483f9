import { verifierFrom } from "../../assembly/verifier.js";
import type { Logger } from "../../common/logger.js";
import { redactRecord } from "../../common/secrets.js";
import type { Config } from "../../config/schema.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { benchItemsOptions, loadBenchItems } from "../items.js";
import type { VerifyRunSpec } from "../spec.js";
import { verifyItem } from "../verify-item.js";
import type { BenchExecutor } from "./bench-executor.js";

/** `bench verify`: each item labels one candidate by running its instance's tests. */
export async function verifyExecutor(
  spec: VerifyRunSpec,
  config: Config,
  logger: Logger,
): Promise<BenchExecutor> {
  const items = await loadBenchItems(benchItemsOptions(spec.dataset));
  const verifier = verifierFrom(config, {
    overrides: parseRepoOverrides(spec.repoOverrides),
    logger,
    timeoutMs: spec.timeoutSeconds * 1000,
    setupTimeoutMs: spec.setupTimeoutSeconds * 1000,
  });
  return {
    items,
    settings: { test: config.test ? redactRecord(config.test) : null },
    execute: (item, itemDir, signal) =>
      verifyItem(item, itemDir, {
        verifier,
        attempts: spec.attempts,
        ...(spec.retryDelayMs === undefined ? {} : { retryDelayMs: spec.retryDelayMs }),
        logger,
        ...(signal ? { signal } : {}),
      }),
  };
}
