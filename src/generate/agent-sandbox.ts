import { InputError } from "../common/errors.js";
import type { OpenSandboxOptions } from "../workspace/sandbox/open.js";
import type { Generator } from "./generation.js";

export type AgentSandbox = Pick<OpenSandboxOptions, "network" | "env" | "readOnly" | "readOnlyAt">;

/** What an external agent's sandbox adds: the network if allowed, its settings and environment, its install and login. */
export function externalAgentSandbox(generator: Extract<Generator, { kind: "command" }>): AgentSandbox {
  return {
    network: generator.network,
    env: { ...generator.settings, ...generator.env },
    readOnly: [...(generator.readOnly ?? [])],
    readOnlyAt: [...(generator.readOnlyAt ?? [])],
  };
}

/**
 * Sandbox options with an external agent's additions: read-only folders added to the base's; its environment in place
 * of the base's, with the workspace setup's on top (a virtualenv's PATH).
 */
export function mergeAgentSandbox(
  base: OpenSandboxOptions,
  agent: AgentSandbox | undefined,
  setupEnv: Record<string, string> = {},
): Partial<OpenSandboxOptions> {
  if (!agent) return {};
  return {
    network: agent.network ?? false,
    env: { ...agent.env, ...setupEnv },
    ...(agent.readOnly?.length ? { readOnly: [...(base.readOnly ?? []), ...agent.readOnly] } : {}),
    ...(agent.readOnlyAt?.length ? { readOnlyAt: [...(base.readOnlyAt ?? []), ...agent.readOnlyAt] } : {}),
  };
}

/** Ready-made agents run the host's install of the CLI in the bubblewrap sandbox, and nowhere else. */
export function refuseAgentSandboxKind(agent: string, kind: string | undefined): void {
  if (kind === "docker") {
    throw new InputError(
      "bad_option",
      `--generator ${agent} runs the host's install of the CLI, which a container does not see: use the bubblewrap sandbox (not --sandbox docker), or a command template with a CLI the image has.`,
    );
  }
  if (kind === "local") {
    throw new InputError(
      "bad_option",
      `--generator ${agent} needs the bubblewrap sandbox: with --sandbox local it would run on the host as you, with its home in the host's shared /tmp, where another user could plant its settings. Install bubblewrap (apt-get install bubblewrap) and leave --sandbox at its default.`,
    );
  }
}
