import type { Command } from "commander";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { parseGeneratorSpec, renderCommandTemplate } from "../generate/external-command.js";
import type { Generator } from "../generate/run-generation.js";
import { budgetFrom } from "../runtime/agent-budget.js";
import { roleModel } from "../runtime/role-model.js";

export interface GeneratorFlags {
  generator?: string;
  generatorBaseUrl?: string;
  generatorApiKey?: string;
  generatorTimeout: string;
  generatorNetwork?: boolean;
  generatorEnv?: string[];
}

/** The generator flags shared by `generate` and `loop`. */
export function addGeneratorOptions(command: Command): Command {
  return command
    .option(
      "--generator <model|command>",
      "a model name (our agent), or an external agent: claude|codex|qwen|opencode|mini, or a command template with {instruction_file}, {workdir}, {model} (default: the configured model)",
    )
    .option("--generator-base-url <url>", "the generator model's base URL (default: --base-url)")
    .option("--generator-api-key <key>", "the generator model's API key")
    .option("--generator-timeout <seconds>", "time limit for an external generator command", "3600")
    .option("--generator-network", "let an external generator reach the network (it calls its API)")
    .option(
      "--generator-env <name...>",
      "environment variables passed to an external generator (e.g. its API key)",
    );
}

export function generatorFrom(flags: GeneratorFlags, config: Config, logger: Logger): Generator {
  const spec = flags.generator
    ? parseGeneratorSpec(flags.generator)
    : { kind: "model" as const, name: undefined };
  if (spec.kind === "command") {
    const timeout = Number(flags.generatorTimeout);
    if (!Number.isFinite(timeout) || timeout <= 0) {
      throw new InputError(
        "bad_option",
        `--generator-timeout ${flags.generatorTimeout}: expected seconds, e.g. 3600.`,
      );
    }
    const env: Record<string, string> = {};
    for (const name of flags.generatorEnv ?? []) {
      const value = process.env[name];
      if (value === undefined)
        throw new InputError("bad_option", `--generator-env ${name}: that variable is not set.`);
      env[name] = value;
    }
    // Bad placeholders are bad input: say so before anything is created.
    renderCommandTemplate(spec.template, {
      instructionFile: "/tmp/instruction.md",
      workdir: "/testbed",
      ...(config.model.name ? { model: config.model.name } : {}),
    });
    return {
      kind: "command",
      template: spec.template,
      timeoutMs: timeout * 1000,
      network: flags.generatorNetwork ?? false,
      env,
      ...(config.model.name ? { model: config.model.name } : {}),
    };
  }
  const role = roleModel(
    config,
    {
      ...(spec.name ? { name: spec.name } : {}),
      ...(flags.generatorBaseUrl ? { baseUrl: flags.generatorBaseUrl } : {}),
      ...(flags.generatorApiKey ? { apiKey: flags.generatorApiKey } : {}),
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
