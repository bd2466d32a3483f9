import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, posix } from "node:path";
import { InputError } from "../common/errors.js";
import { AGENT_HOME } from "../generate/agent-clis/agent-cli.js";
import type { ResolvedAgentCli } from "../generate/agent-clis/resolve.js";
import type { ReadOnlyMount } from "../workspace/sandbox/bwrap-mounts.js";

/** An agent CLI's subscription login, shown read-only in its private home (`--generator-login`). */
export interface AgentLogin {
  /** Each login file at the same place under the agent's home (`/tmp/agent-home/.claude/.credentials.json`). */
  mounts: ReadOnlyMount[];
  /** The tokens in those files, kept out of its log. */
  secrets: string[];
}

/**
 * The login files of an agent CLI that exist under the user's home. The agent, and any code it runs in the sandbox,
 * can read them and, with `--generator-network`, send them anywhere: this is the user's opt-in, never a default.
 */
export function agentLogin(agent: ResolvedAgentCli, home = homedir()): AgentLogin {
  const files = agent.cli.loginFiles ?? [];
  const found = files.filter((file) => existsSync(join(home, file)));
  if (found.length === 0) {
    const where = files.length > 0 ? files.map((file) => `~/${file}`).join(" or ") : "nowhere we know of";
    throw new InputError(
      "bad_option",
      `--generator-login: no ${agent.name} login found (looked for ${where}). Log in with \`${agent.cli.binary}\` on this machine first, or pass its API key with --generator-env ${agent.cli.credentialEnv.join(" or ")}.`,
    );
  }
  return {
    mounts: found.map((file) => ({ source: join(home, file), dest: posix.join(AGENT_HOME, file) })),
    secrets: found.flatMap((file) => tokensIn(readFileSync(join(home, file), "utf8"))),
  };
}

/** The string values of a JSON login file long enough to be tokens (the whole text when it is not JSON). */
function tokensIn(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim().length >= 16 ? [text.trim()] : [];
  }
  const tokens: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === "string" && node.length >= 16) tokens.push(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") Object.values(node).forEach(visit);
  };
  visit(value);
  return tokens;
}
