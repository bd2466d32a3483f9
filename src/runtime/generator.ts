import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { urlSecrets } from "../common/redact-url.js";
import type { Config } from "../config/schema.js";
import { resolveAgentCli } from "../generate/agent-clis/resolve.js";
import { parseGeneratorSpec, renderCommandTemplate } from "../generate/external-command.js";
import type { Generator } from "../generate/run-generation.js";
import { budgetFrom } from "./agent-budget.js";
import { agentLogin } from "./agent-login.js";
import { roleModel } from "./role-model.js";

/** Who generates candidates, as a user chose it (flags, or a benchmark run's spec). */
export interface GeneratorChoice {
  /** A model name (our agent), an external agent (claude, codex, …), or a command template; absent: the configured model. */
  generator?: string;
  baseUrl?: string;
  apiKey?: string;
  /** Time limit of an external generator command. */
  timeoutSeconds: number;
  /** Let an external generator reach the network. */
  network: boolean;
  /** Environment variables passed to an external generator: names; the values are this process's. */
  envNames: readonly string[];
  /** The model an external agent uses (`--generator-model`; default: the configured model). */
  model?: string;
  /** Show a ready-made agent's subscription login read-only in its sandbox (`--generator-login`; see `agentLogin`). */
  login?: boolean;
}

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
  if (spec.kind === "command" || spec.kind === "agent-cli") {
    const env: Record<string, string> = {};
    for (const name of choice.envNames) {
      const value = process.env[name];
      if (value === undefined)
        throw new InputError("bad_option", `--generator-env ${name}: that variable is not set.`);
      env[name] = value;
    }
    const agent = spec.kind === "agent-cli" ? resolveAgentCli(spec.name) : undefined;
    if (choice.login && !agent) {
      throw new InputError(
        "bad_option",
        "--generator-login works with a ready-made agent (--generator claude, codex, …), not with a model or a command.",
      );
    }
    const login = agent && choice.login ? agentLogin(agent) : undefined;
    if (agent && !login && !agent.cli.credentialEnv.some((name) => name in env)) {
      throw new InputError(
        "bad_option",
        `--generator ${agent.name} needs its credentials: pass --generator-env ${agent.cli.credentialEnv.join(" or ")} (and --generator-network to reach its API), or --generator-login to use the login of \`${agent.cli.binary}\` on this machine.`,
      );
    }
    const template = spec.kind === "command" ? spec.template : (agent?.cli.template(agent.binary) ?? "");
    // The model an external agent uses: --generator-model, else the configured model.
    const model = choice.model ?? config.model.name;
    // Bad placeholders are bad input: say so before anything is created.
    renderCommandTemplate(template, {
      instructionFile: "/tmp/instruction.md",
      workdir: "/testbed",
      ...(model ? { model } : {}),
    });
    // An agent that takes its model from a variable (claude, codex) gets --generator-model there.
    const modelSetting = agent?.cli.modelEnv && choice.model ? { [agent.cli.modelEnv]: choice.model } : {};
    return {
      kind: "command",
      template,
      timeoutMs: choice.timeoutSeconds * 1000,
      network: choice.network,
      env,
      ...(agent
        ? { agent: agent.name, settings: { ...agent.cli.env, ...modelSetting }, readOnly: agent.readOnly }
        : {}),
      ...(login ? { readOnlyAt: login.mounts } : {}),
      secrets: [...(login?.secrets ?? []), ...passedSecrets(env)],
      ...(model ? { model } : {}),
    };
  }
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

/**
 * The secrets among the variables passed to an external agent: those named like one (`GEN_KEY`, `…_TOKEN`), long
 * opaque values, and the credentials inside URLs. Kept out of its log, its PR text and the reviews of its patches.
 */
function passedSecrets(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => {
    if (value.includes("://")) return urlSecrets(value);
    const secretName = /(KEY|TOKEN|SECRET|PASS|AUTH|CREDENTIAL|COOKIE)/i.test(name);
    return (secretName && value.length >= 8) || (value.length >= 20 && !/\s/.test(value)) ? [value] : [];
  });
}

/** The secrets an external generator holds (see `passedSecrets` and `agentLogin`): add them to the reviews'. */
export function generatorSecrets(generator: Generator): string[] {
  return generator.kind === "command" ? [...(generator.secrets ?? [])] : [];
}
