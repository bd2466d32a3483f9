import { recordedBaseUrl } from "../assembly/role-model.js";
import type { Logger } from "../common/logger.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { BenchExecutor } from "./executors/bench-executor.js";
import { reviewExecutor } from "./executors/review.js";
import { ttsExecutor } from "./executors/tts.js";
import { verifyExecutor } from "./executors/verify.js";
import type { RunSpec } from "./spec.js";

/**
 * Rebuilds the work of a run from its spec and this process's configuration (API keys, sandbox, cache). The spec's
 * own choices (models, mode, step limit, sandbox kind) win over the configuration.
 */
export async function executorFor(
  spec: RunSpec,
  options: { config?: Config; logger: Logger },
): Promise<BenchExecutor> {
  const config = applySpec(options.config ?? loadConfig().config, spec);
  switch (spec.kind) {
    case "review":
      return reviewExecutor(
        { ...spec, reviewer: withBaseUrl("REVIEWER", spec.reviewer, config) },
        config,
        options.logger,
      );
    case "tts":
      return ttsExecutor(
        {
          ...spec,
          reviewer: withBaseUrl("REVIEWER", spec.reviewer, config),
          generator: withBaseUrl("GENERATOR", spec.generator, config),
        },
        config,
        options.logger,
      );
    case "verify":
      return verifyExecutor(spec, config, options.logger);
  }
}

/** A role of a spec read back from run.json, with the credentials of its base URL from this process. */
function withBaseUrl<Role extends { baseUrl?: string | undefined }>(
  role: "REVIEWER" | "GENERATOR",
  spec: Role,
  config: Config,
): Role {
  const baseUrl = recordedBaseUrl(role, spec.baseUrl, config);
  return baseUrl === undefined ? spec : { ...spec, baseUrl };
}

function applySpec(config: Config, spec: RunSpec): Config {
  const maxSteps = "maxSteps" in spec ? spec.maxSteps : undefined;
  return {
    ...config,
    agent: { ...config.agent, ...(maxSteps ? { maxSteps } : {}) },
    sandbox: { ...config.sandbox, ...(spec.sandbox ? { kind: spec.sandbox } : {}) },
  };
}
