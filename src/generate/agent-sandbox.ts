import type { OpenSandboxOptions } from "../workspace/sandbox/open.js";
import type { Generator } from "./run-generation.js";

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
