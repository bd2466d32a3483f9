import type { Command } from "commander";
import { generatorFrom as generatorOf } from "../assembly/generator.js";
import type { GeneratorChoice } from "../assembly/generator-choice.js";
import type { Logger } from "../common/logger.js";
import type { Config } from "../config/schema.js";
import { AGENT_CLIS } from "../generate/agent-clis/table.js";
import type { Generator } from "../generate/generation.js";
import { positiveNumber } from "./option-parsers.js";

export interface GeneratorFlags {
  generator?: string;
  generatorBaseUrl?: string;
  generatorApiKey?: string;
  generatorTimeout: string;
  generatorNetwork?: boolean;
  generatorEnv?: string[];
  generatorLogin?: boolean;
  generatorModel?: string;
}

/** The generator flags shared by `generate`, `loop` and the benchmark's `revise` and `tts`. */
export function addGeneratorOptions(command: Command): Command {
  return command
    .option(
      "--generator <model|command>",
      `a model name (our agent); a ready-made agent CLI found on this machine, run in the sandbox: ${readyMadeAgents()}; mini (mini-swe-agent: an untested template); or a command template with {instruction_file}, {workdir}, {model} (default: the configured model)`,
    )
    .option("--generator-base-url <url>", "the generator model's base URL (default: --base-url)")
    .option("--generator-api-key <key>", "the generator model's API key")
    .option(
      "--generator-model <name>",
      "the model an external agent asks its API for ({model} in a template; qwen, opencode and gemini need one; claude and codex get it as ANTHROPIC_MODEL, CODEX_MODEL) (default: the configured model)",
    )
    .option("--generator-timeout <seconds>", "time limit for an external generator command", "3600")
    .option("--generator-network", "let an external generator reach the network (it calls its API)")
    .option(
      "--generator-env <name...>",
      "environment variables passed to an external generator (e.g. its API key)",
    )
    .option(
      "--generator-login",
      "a ready-made agent uses its CLI's subscription login on this machine (e.g. ~/.claude/.credentials.json), shown read-only in its sandbox instead of an API key. Risk: the agent, and any code it runs from the repository, can read that token and, with --generator-network, send it anywhere",
    );
}

/** `claude (ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN), codex (…)`: each agent and the credential `--generator-env` passes. */
function readyMadeAgents(): string {
  return Object.entries(AGENT_CLIS)
    .map(([name, cli]) => `${name} (--generator-env ${cli.credentialEnv.join("|")} --generator-network)`)
    .join(", ");
}

/** The choice the flags make (checked: a bad time limit is an error naming the flag). */
export function generatorChoice(flags: GeneratorFlags): GeneratorChoice {
  const timeout = positiveNumber(flags.generatorTimeout, "--generator-timeout", "seconds, e.g. 3600");
  return {
    ...(flags.generator ? { generator: flags.generator } : {}),
    ...(flags.generatorBaseUrl ? { baseUrl: flags.generatorBaseUrl } : {}),
    ...(flags.generatorApiKey ? { apiKey: flags.generatorApiKey } : {}),
    timeoutSeconds: timeout,
    network: flags.generatorNetwork ?? false,
    envNames: flags.generatorEnv ?? [],
    login: flags.generatorLogin ?? false,
    ...(flags.generatorModel ? { model: flags.generatorModel } : {}),
  };
}

export function generatorFrom(flags: GeneratorFlags, config: Config, logger: Logger): Generator {
  return generatorOf(generatorChoice(flags), config, logger);
}
