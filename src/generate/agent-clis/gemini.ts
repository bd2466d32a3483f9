import { z } from "zod";
import { AGENT_HOME, type AgentCli, type CliUsage, shellWord } from "./agent-cli.js";

/** One model's token counts in Gemini CLI's `stats.models` (sums over its API calls). */
const GeminiModelTokensSchema = z.object({
  /** Prompt tokens, the cached part included (the API's promptTokenCount). */
  prompt: z.number().nonnegative(),
  /** Answer tokens, thoughts not included (candidatesTokenCount). */
  candidates: z.number().nonnegative(),
  cached: z.number().nonnegative(),
  thoughts: z.number().nonnegative().default(0),
  /** Tool-use prompt tokens (toolUsePromptTokenCount), billed as input beside the prompt. */
  tool: z.number().nonnegative().default(0),
});

/** Gemini CLI's `--output-format json` answer: one pretty-printed object; `stats` is absent when it failed early. */
const GeminiJsonOutputSchema = z.object({
  stats: z.object({
    models: z.record(z.string(), z.object({ tokens: GeminiModelTokensSchema })),
  }),
});

/**
 * The usage in Gemini CLI's `--output-format json` answer (the last top-level JSON object of the output; the
 * sandbox mixes stderr lines in), summed over the models it called. Input excludes the cached prompt (which is
 * `cacheReadTokens`), output includes the thoughts, as both are billed. Gemini reports no cache writes and no cost.
 */
export function geminiUsage(output: string): CliUsage | undefined {
  const parsed = lastJsonObject(output, (value) => GeminiJsonOutputSchema.safeParse(value).success);
  if (parsed === undefined) return undefined;
  const models = Object.values(GeminiJsonOutputSchema.parse(parsed).stats.models);
  const sum = (figure: (tokens: z.infer<typeof GeminiModelTokensSchema>) => number) =>
    models.reduce((total, model) => total + figure(model.tokens), 0);
  return {
    inputTokens: sum((t) => Math.max(0, t.prompt - t.cached) + t.tool),
    outputTokens: sum((t) => t.candidates + t.thoughts),
    cacheReadTokens: sum((t) => t.cached),
    cacheWriteTokens: null,
    costUsd: null,
  };
}

/**
 * The last pretty-printed JSON object in the output that `accept` takes: from a line that is just `{` to a later
 * line that is just `}` (both at the start of the line, as `JSON.stringify(value, null, 2)` writes them).
 */
function lastJsonObject(output: string, accept: (value: unknown) => boolean): unknown {
  const lines = output.split("\n").map((line) => line.replace(/\r$/, ""));
  const ends = lines.flatMap((line, index) => (line === "}" ? [index] : []));
  for (let start = lines.length - 1; start >= 0; start--) {
    if (lines[start] !== "{") continue;
    for (const end of ends.filter((index) => index > start).reverse()) {
      try {
        const value: unknown = JSON.parse(lines.slice(start, end + 1).join("\n"));
        if (accept(value)) return value;
      } catch {
        // Not one object: stderr lines came in between, or the end belongs to another object.
      }
    }
  }
  return undefined;
}

/**
 * Gemini CLI's settings in the agent's home. The auth type: the Gemini API key from `GEMINI_API_KEY` (left to
 * itself, a set GOOGLE_GEMINI_BASE_URL makes it pick the "gateway" auth, which non-interactive mode rejects: exit
 * 41, "Invalid auth method selected."), or what `GEMINI_DEFAULT_AUTH_TYPE` says (Gemini CLI expands `${VAR:-default}`
 * in its settings): `oauth-personal` for a Google login (`loginFiles`). No usage statistics, telemetry or update
 * checks (each a call to Google's servers).
 *
 * The repository under work is hostile, so its folder is not trusted (`GEMINI_CLI_TRUST_WORKSPACE=false`): Gemini
 * CLI then ignores its `.gemini/settings.json` (MCP servers, hooks, tool discovery and call commands, auth,
 * proxy…), its `.gemini/.env`, its GEMINI.md files and `@` imports, its skills and policies, and starts no stdio MCP
 * server. `folderTrust.enabled: false` is what lets a headless run go on in an untrusted folder (else it stops:
 * "not running in a trusted directory"); `ignoreLocalEnv` keeps it from reading the repository's `.env` (untrusted,
 * it would still take GEMINI_API_KEY, GOOGLE_API_KEY, GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION from it). No
 * project subagents (`.gemini/agents`, loaded even untrusted, with MCP servers of their own).
 */
const GEMINI_SETTINGS = {
  security: {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: expanded by Gemini CLI, not by us
    auth: { selectedType: "${GEMINI_DEFAULT_AUTH_TYPE:-gemini-api-key}" },
    folderTrust: { enabled: false },
  },
  advanced: { ignoreLocalEnv: true },
  experimental: { enableAgents: false },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
};

/**
 * A user policy that allows every tool call: what `--yolo` does, which Gemini CLI turns back into asking for
 * approval (refused, headless) in an untrusted folder. Not all of it: outside YOLO mode its shell tool still refuses
 * git commands in an untrusted folder, commands it deems dangerous (`rm -f`/`-rf`, `find -exec`/`-delete`, `ln -s`)
 * and a `dir_path` outside the workspace; the model gets the refusal as the tool's answer.
 */
const GEMINI_ALLOW_ALL_POLICY = `[[rule]]
toolName = "*"
decision = "allow"
priority = 100
allowRedirection = true
`;

/** Gemini CLI (`@google/gemini-cli`): Google's Gemini API, streamed (`streamGenerateContent?alt=sse`). */
export const GEMINI: AgentCli = {
  binary: "gemini",
  npmPackage: "@google/gemini-cli",
  testedVersion: "0.61.0",
  env: {
    // Not trusted: no repository config is read (see GEMINI_SETTINGS); the user policy allows the tools instead.
    GEMINI_CLI_TRUST_WORKSPACE: "false",
    HOME: AGENT_HOME,
  },
  baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
  credentialEnv: ["GEMINI_API_KEY"],
  optionalEnv: ["GOOGLE_GEMINI_BASE_URL", "GEMINI_DEFAULT_AUTH_TYPE"],
  // A "Login with Google" (auth type oauth-personal): its tokens and the account they belong to.
  loginFiles: [".gemini/oauth_creds.json", ".gemini/google_accounts.json"],
  homeFiles: {
    ".gemini/settings.json": `${JSON.stringify(GEMINI_SETTINGS, null, 2)}\n`,
    ".gemini/policies/allow-all.toml": GEMINI_ALLOW_ALL_POLICY,
  },
  // -m: without a model it routes each prompt by a first call to a small model. stdin closed: it reads piped input.
  template: (binary) =>
    `mkdir -p ${AGENT_HOME} && ${shellWord(binary)} -m {model} --output-format json -p "$(cat {instruction_file})" < /dev/null`,
  usage: geminiUsage,
  accounts: "tokens (input, output with thoughts, cache read); no cost",
};
