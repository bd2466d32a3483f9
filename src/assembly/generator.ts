import { closest } from "../common/closest.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { AGENT_CLIS } from "../generate/agent-clis/table.js";
import { parseGeneratorSpec } from "../generate/external-command.js";
import type { Generator } from "../generate/generation.js";
import { budgetFrom } from "./agent-budget.js";
import { externalGeneratorFrom } from "./external-generator.js";
import type { GeneratorChoice } from "./generator-choice.js";
import { roleModel } from "./role-model.js";

/** The generator a choice names, built with this process's configuration and environment. */
export function generatorFrom(choice: GeneratorChoice, config: Config, logger: Logger): Generator {
  const spec = choice.generator
    ? parseGeneratorSpec(choice.generator)
    : { kind: "model" as const, name: undefined };
  if (spec.kind === "command" && spec.untested) {
    logger.warn(
      `--generator ${spec.untested} is an untested template (${spec.template}): its CLI is not installed and run by our tests; check generator.log.`,
    );
  }
  if (spec.kind === "command" || spec.kind === "agent-cli")
    return externalGeneratorFrom(spec, choice, config);
  refuseExternalOptions(choice);
  const role = roleModel(
    config,
    {
      ...(spec.name ? { name: spec.name } : {}),
      ...(choice.baseUrl ? { baseUrl: choice.baseUrl } : {}),
      ...(choice.apiKey ? { apiKey: choice.apiKey } : {}),
    },
    logger,
  );
  return {
    kind: "agent",
    model: role.model,
    budget: budgetFrom(config),
    contextGuard: role.contextGuard,
    securityRisk: config.tools.securityRisk,
    softTimeoutMs: config.tools.softTimeoutSeconds * 1000,
  };
}

/** The secrets an external generator holds (see `passedSecrets` and `agentLogin`): add them to the reviews'. */
export function generatorSecrets(generator: Generator): string[] {
  return generator.kind === "command" ? [...(generator.secrets ?? [])] : [];
}

/**
 * The options of external agents given with a model name (our agent): most likely a misspelt agent, which would
 * otherwise run our agent against the configured model's server.
 */
function refuseExternalOptions(choice: GeneratorChoice): void {
  const given = [
    choice.envNames.length > 0 ? "--generator-env" : undefined,
    choice.network ? "--generator-network" : undefined,
    choice.login ? "--generator-login" : undefined,
    choice.model ? "--generator-model" : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (given.length === 0) return;
  const name = choice.generator ?? "";
  const close = closest(name, Object.keys(AGENT_CLIS));
  throw new InputError(
    "bad_option",
    `--generator ${name || "(the configured model)"} is a model name, run by our agent, so ${given.join(", ")} ${given.length > 1 ? "do" : "does"} not apply. ${close ? `Did you mean --generator ${close}? ` : ""}Ready-made agents: ${Object.keys(AGENT_CLIS).join(", ")}.`,
  );
}
