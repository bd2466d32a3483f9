import { z } from "zod";
import { AGENT_HOME, type AgentCli, type CliUsage, jsonLines, shellWord } from "./agent-cli.js";

const QwenResultSchema = z.object({
  type: z.literal("result"),
  usage: z
    .object({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
    })
    .optional(),
});

/**
 * Qwen Code's `--output-format json`: one JSON array of messages printed at the end, the last a `result` with the
 * summed usage. Its `input_tokens` is the chat-completions `prompt_tokens`, cached ones included; the report counts
 * them apart (as Anthropic's does). It reports no cost and no cache writes.
 */
export function qwenUsage(output: string): CliUsage | undefined {
  for (const value of jsonLines(output).reverse()) {
    const messages = Array.isArray(value) ? [...value].reverse() : [value];
    for (const message of messages) {
      const parsed = QwenResultSchema.safeParse(message);
      if (!parsed.success) continue;
      const usage = parsed.data.usage ?? {};
      const cacheRead = usage.cache_read_input_tokens;
      const input = usage.input_tokens;
      return {
        inputTokens: input === undefined ? null : Math.max(0, input - (cacheRead ?? 0)),
        outputTokens: usage.output_tokens ?? null,
        cacheReadTokens: cacheRead ?? null,
        cacheWriteTokens: null,
        costUsd: null,
      };
    }
  }
  return undefined;
}

/**
 * Settings in `~/.qwen/settings.json`: no usage statistics (they go to an aliyuncs.com RUM endpoint), no telemetry,
 * no self-update. Qwen Code rewrites this file on its first run (adds `$version`, keeps `settings.json.orig`), so
 * the home must be writable, as the agent's private home is.
 *
 * The repository under work is hostile, so its folder is not trusted: folder trust on here, and the template marks
 * the working directory `DO_NOT_TRUST` in `~/.qwen/trustedFolders.json` (left unlisted, a folder counts as trusted).
 * Untrusted, Qwen Code ignores the repository's `.qwen/settings.json` (its `env`, `proxy`, `modelProviders`, auth
 * base URL, MCP servers, hooks, tool discovery and call commands), its `.env` and `.qwen/.env`, and starts no MCP
 * server. It also turns `--yolo` back into asking for approval (refused, headless), so `permissions.allow` allows
 * the tools instead.
 */
const QWEN_SETTINGS = {
  security: { folderTrust: { enabled: true } },
  // Canonical tool names: headless, Qwen Code denies the shell, monitor, edit and write_file tools unless a rule
  // names them (its aliases such as "Bash" or "Write" do not count there).
  permissions: {
    allow: [
      "run_shell_command",
      "monitor",
      "edit",
      "write_file",
      "web_fetch",
      "todo_write",
      "agent",
      "save_memory",
    ],
  },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false },
};

/**
 * Qwen Code (`@qwen-code/qwen-code`): OpenAI chat completions, streamed. `OPENAI_BASE_URL` (with `/v1`) and
 * `OPENAI_API_KEY` choose the server; the model is `--model`'s. It retries 5xx answers with backoff for minutes,
 * whatever `maxRetries` says: `--generator-timeout` is what stops it.
 */
export const QWEN: AgentCli = {
  binary: "qwen",
  npmPackage: "@qwen-code/qwen-code",
  testedVersion: "0.15.10",
  env: { HOME: AGENT_HOME },
  baseUrlEnv: "OPENAI_BASE_URL",
  credentialEnv: ["OPENAI_API_KEY"],
  optionalEnv: ["OPENAI_BASE_URL"],
  loginFiles: [".qwen/oauth_creds.json"],
  homeFiles: { ".qwen/settings.json": `${JSON.stringify(QWEN_SETTINGS, null, 2)}\n` },
  // The working directory (the repository) marked untrusted, by its real path as Qwen Code compares it. Qwen Code
  // picks its auth type from the environment only when OPENAI_MODEL is set too, so it is named: the API key's, or
  // the OAuth login's when no key is passed. The positional prompt is one-shot; stdin closed so that it never
  // waits for piped input.
  template: (binary) =>
    `mkdir -p ${AGENT_HOME}/.qwen && printf '{"%s": "DO_NOT_TRUST"}\\n' "$(pwd -P)" > ${AGENT_HOME}/.qwen/trustedFolders.json && ${shellWord(binary)} --output-format json --auth-type "$(test -n "$OPENAI_API_KEY" && echo openai || echo qwen-oauth)" --model {model} "$(cat {instruction_file})" < /dev/null`,
  usage: qwenUsage,
  accounts: "tokens (input, output, cache read); no cost",
};
