import { z } from "zod";
import { AGENT_HOME, type AgentCli, type CliUsage, jsonLines, shellWord } from "./agent-cli.js";

const ClaudeResultSchema = z.object({
  type: z.literal("result"),
  total_cost_usd: z.number().optional(),
  usage: z
    .object({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
      cache_creation_input_tokens: z.number().optional(),
    })
    .optional(),
});

/** Claude Code's `--output-format json` result: the last line of its output that parses as one. */
export function claudeUsage(output: string): CliUsage | undefined {
  for (const value of jsonLines(output).reverse()) {
    const parsed = ClaudeResultSchema.safeParse(value);
    if (!parsed.success) continue;
    const usage = parsed.data.usage ?? {};
    return {
      inputTokens: usage.input_tokens ?? null,
      outputTokens: usage.output_tokens ?? null,
      cacheReadTokens: usage.cache_read_input_tokens ?? null,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? null,
      costUsd: parsed.data.total_cost_usd ?? null,
    };
  }
  return undefined;
}

/** Claude Code (`@anthropic-ai/claude-code`): Anthropic's Messages API, streamed. */
export const CLAUDE: AgentCli = {
  binary: "claude",
  npmPackage: "@anthropic-ai/claude-code",
  testedVersion: "2.1.197",
  env: {
    // Claude Code refuses --dangerously-skip-permissions as root unless it is told it runs in a sandbox.
    IS_SANDBOX: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    HOME: AGENT_HOME,
  },
  modelEnv: "ANTHROPIC_MODEL",
  baseUrlEnv: "ANTHROPIC_BASE_URL",
  credentialEnv: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
  optionalEnv: ["ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL"],
  loginFiles: [".claude/.credentials.json"],
  // stdin closed: with -p it otherwise waits for piped input. The repository under work is hostile: with only the
  // user-level settings (our private home) its `.claude/settings*.json` cannot set env (ANTHROPIC_BASE_URL: where the
  // key goes), an apiKeyHelper, hooks, permissions or plugins, nor add its agents, skills, commands or CLAUDE.md
  // (all checked: none is loaded); with a strict MCP config its `.mcp.json` servers are not started.
  // (`--safe-mode` alone is not enough: it still applies a project's env and runs its apiKeyHelper.)
  template: (binary) =>
    `mkdir -p ${AGENT_HOME} && ${shellWord(binary)} -p "$(cat {instruction_file})" --dangerously-skip-permissions --output-format json --setting-sources user --strict-mcp-config < /dev/null`,
  usage: claudeUsage,
  accounts: "tokens (input, output, cache read and write) and cost in USD",
};
