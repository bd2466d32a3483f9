import { InputError } from "../common/errors.js";
import { urlSecrets } from "../common/redact-url.js";
import type { Config } from "../config/schema.js";
import { type ResolvedAgentCli, resolveAgentCli } from "../generate/agent-clis/resolve.js";
import { refuseAgentSandboxKind } from "../generate/agent-sandbox.js";
import { type GeneratorSpec, renderCommandTemplate } from "../generate/external-command.js";
import type { Generator } from "../generate/generation.js";
import { agentLogin } from "./agent-login.js";
import type { GeneratorChoice } from "./generator-choice.js";

type CommandGenerator = Extract<Generator, { kind: "command" }>;

/**
 * An external agent as the generator: a ready-made agent CLI found on this machine, or a command template. Everything
 * a user can get wrong is said at once, before anything is created (exit 3): a missing variable, credentials, model,
 * login, or a sandbox it cannot run in.
 */
export function externalGeneratorFrom(
  spec: Exclude<GeneratorSpec, { kind: "model" }>,
  choice: GeneratorChoice,
  config: Config,
): CommandGenerator {
  const passed = passedEnv(choice);
  const agent = spec.kind === "agent-cli" ? resolveAgentCli(spec.name) : undefined;
  if (agent) refuseAgentSandboxKind(agent.name, config.sandbox.kind);
  if (!agent && (choice.baseUrl || choice.apiKey)) {
    throw new InputError(
      "bad_option",
      "--generator-base-url and --generator-api-key are for a model (our agent) or a ready-made agent; a command template gets its variables with --generator-env.",
    );
  }
  const env = { ...passed, ...(agent ? agentConnection(agent, choice) : {}) };
  if (choice.login && !agent) {
    throw new InputError(
      "bad_option",
      "--generator-login works with a ready-made agent (--generator claude, codex, …), not with a command.",
    );
  }
  const login = agent && choice.login ? agentLogin(agent) : undefined;
  const template = agent ? agent.cli.template(agent.binary) : spec.kind === "command" ? spec.template : "";
  // The model an external agent uses: --generator-model, else the configured model.
  const model = choice.model ?? config.model.name;
  const problems: string[] = [];
  if (agent && !login && !agent.cli.credentialEnv.some((name) => name in env)) {
    problems.push(
      `--generator ${agent.name} needs its credentials: pass --generator-env ${agent.cli.credentialEnv.join(" or ")} (or --generator-api-key; and --generator-network to reach its API), or --generator-login to use the login of \`${agent.cli.binary}\` on this machine.`,
    );
  }
  try {
    // Bad placeholders, or {model} without a model, are bad input too.
    renderCommandTemplate(template, {
      instructionFile: "/tmp/instruction.md",
      workdir: "/testbed",
      ...(model ? { model } : {}),
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(error.message);
  }
  if (problems.length > 0) throw new InputError("bad_option", problems.join("\n"));
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

/** The variables `--generator-env` names, with this process's values. */
function passedEnv(choice: GeneratorChoice): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of choice.envNames) {
    const value = process.env[name];
    if (value === undefined)
      throw new InputError("bad_option", `--generator-env ${name}: that variable is not set.`);
    env[name] = value;
  }
  return env;
}

/** `--generator-base-url` and `--generator-api-key` as the variables a ready-made agent reads them from. */
function agentConnection(agent: ResolvedAgentCli, choice: GeneratorChoice): Record<string, string> {
  const [keyEnv] = agent.cli.credentialEnv;
  return {
    ...(choice.baseUrl ? { [agent.cli.baseUrlEnv]: choice.baseUrl } : {}),
    ...(choice.apiKey && keyEnv ? { [keyEnv]: choice.apiKey } : {}),
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
