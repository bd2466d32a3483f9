import { z } from "zod";
import { AGENT_HOME, type AgentCli, type CliUsage, jsonLines, shellWord } from "./agent-cli.js";

/** The `codex exec --json` event that ends a turn: the turn's tokens, summed over its model requests. */
const CodexTurnCompletedSchema = z.object({
  type: z.literal("turn.completed"),
  usage: z.object({
    /** The whole prompt, cached and cache-written tokens included (OpenAI's convention). */
    input_tokens: z.number().nonnegative(),
    cached_input_tokens: z.number().nonnegative().optional(),
    cache_write_input_tokens: z.number().nonnegative().optional(),
    output_tokens: z.number().nonnegative(),
    reasoning_output_tokens: z.number().nonnegative().optional(),
  }),
});

/**
 * Codex's usage: the `turn.completed` events of its `--json` output, summed (one per turn; `codex exec` runs one).
 * `inputTokens` is the prompt neither read from nor written to the cache, as Anthropic counts it and as
 * `CliUsage` sums expect. Codex reports no cost.
 */
export function codexUsage(output: string): CliUsage | undefined {
  const turns = jsonLines(output).flatMap((value) => {
    const parsed = CodexTurnCompletedSchema.safeParse(value);
    return parsed.success ? [parsed.data.usage] : [];
  });
  if (turns.length === 0) return undefined;
  const sum = (figure: (usage: (typeof turns)[number]) => number | undefined) =>
    turns.every((usage) => figure(usage) === undefined)
      ? null
      : turns.reduce((total, usage) => total + (figure(usage) ?? 0), 0);
  const input = sum((usage) => usage.input_tokens) ?? 0;
  const cacheRead = sum((usage) => usage.cached_input_tokens);
  const cacheWrite = sum((usage) => usage.cache_write_input_tokens);
  return {
    inputTokens: Math.max(0, input - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    outputTokens: sum((usage) => usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    costUsd: null,
  };
}

/** The provider Codex is pointed at when an API key is passed (its built-in `openai` one cannot be overridden). */
const PROVIDER = "swe-review";

/** Codex's temporary folder: outside its home, or it refuses to set up its helper commands ("PATH aliases"). */
const CODEX_TMPDIR = "/tmp/agent-tmp";

/**
 * `~/.codex/config.toml`: the Responses API provider used with an API key (`OPENAI_API_KEY`, sent as a Bearer
 * token), Codex's own retries kept (a failing API gets 5 stream reconnects of 6 requests each, 30 requests in 25 s,
 * before the run fails), and no traffic besides the model's (analytics, plugin sync, update check: with these off
 * Codex makes no DNS lookup). The base URL is given on the command line.
 */
const CONFIG_TOML = `check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false

[model_providers.${PROVIDER}]
name = "OpenAI Responses API (swe-review)"
base_url = "https://api.openai.com/v1"
env_key = "OPENAI_API_KEY"
wire_api = "responses"
`;

/**
 * Codex (`@openai/codex`, `codex exec`): OpenAI's Responses API, streamed. Its own sandbox cannot nest in ours (no
 * user namespaces there), so it runs with approvals and its sandbox off; ours is the boundary. With
 * `OPENAI_API_KEY` set it uses our provider at `OPENAI_BASE_URL` (default OpenAI's API); without it, its built-in
 * provider and a login in `~/.codex/auth.json` (tried with an API-key login, read-only; a ChatGPT login also
 * refreshes its tokens into that file). The model is `CODEX_MODEL`'s, else Codex's default; the model decides
 * Codex's tools (`gpt-5.5`: `exec_command` and `apply_patch`; its default `gpt-6.2-sol`: a JavaScript `exec` tool).
 */
export const CODEX: AgentCli = {
  binary: "codex",
  npmPackage: "@openai/codex",
  testedVersion: "0.171.0",
  env: { HOME: AGENT_HOME, TMPDIR: CODEX_TMPDIR },
  modelEnv: "CODEX_MODEL",
  baseUrlEnv: "OPENAI_BASE_URL",
  credentialEnv: ["OPENAI_API_KEY"],
  optionalEnv: ["OPENAI_BASE_URL", "CODEX_MODEL"],
  loginFiles: [".codex/auth.json"],
  homeFiles: { ".codex/config.toml": CONFIG_TOML },
  // The prompt is read from stdin (`-`). The model and base URL are expanded in the sandbox's shell, so no file holds
  // them; `--model` is not used, since in `loop` it names the reviewer's model.
  template: (binary) =>
    `mkdir -p ${CODEX_TMPDIR} && ${shellWord(binary)} exec --json --dangerously-bypass-approvals-and-sandbox \${CODEX_MODEL:+-m "$CODEX_MODEL"} \${OPENAI_API_KEY:+-c model_provider=${PROVIDER}} -c "model_providers.${PROVIDER}.base_url=\\"\${OPENAI_BASE_URL:-https://api.openai.com/v1}\\"" - < {instruction_file}`,
  usage: codexUsage,
  accounts: "tokens (input, output, cache read and write); no cost",
};
