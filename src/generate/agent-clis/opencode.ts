import { z } from "zod";
import { AGENT_HOME, type AgentCli, type CliUsage, jsonLines, shellWord } from "./agent-cli.js";

const StepFinishSchema = z.object({
  type: z.literal("step_finish"),
  part: z.object({
    tokens: z
      .object({
        input: z.number().optional(),
        output: z.number().optional(),
        reasoning: z.number().optional(),
        cache: z.object({ read: z.number().optional() }).optional(),
      })
      .optional(),
  }),
});

/**
 * opencode's `run --format json` events: one `step_finish` per model call of the session, each with that call's
 * tokens (`input` already excludes the cached prompt; `output` excludes reasoning, counted here with it). Summed;
 * a figure no step reports stays null. Its title-generation call is in no event, so it is not counted. Two figures
 * it prints are not known, so null: its `cache.write` (chat completions carry no cache-write count; it prints 0) and
 * its `cost` (from prices in its config, which ours does not set; always 0).
 */
export function opencodeUsage(output: string): CliUsage | undefined {
  const steps = jsonLines(output).flatMap((value) => {
    const parsed = StepFinishSchema.safeParse(value);
    return parsed.success ? [parsed.data.part.tokens ?? {}] : [];
  });
  if (steps.length === 0) return undefined;
  const sum = (figure: (tokens: (typeof steps)[number]) => number | undefined): number | null => {
    const figures = steps.map(figure).filter((value) => value !== undefined);
    return figures.length === 0 ? null : figures.reduce((total, value) => total + value, 0);
  };
  const output_ = sum((tokens) => tokens.output);
  return {
    inputTokens: sum((tokens) => tokens.input),
    outputTokens: output_ === null ? null : output_ + (sum((tokens) => tokens.reasoning) ?? 0),
    cacheReadTokens: sum((tokens) => tokens.cache?.read),
    cacheWriteTokens: null,
    costUsd: null,
  };
}

/** The provider opencode is given: any OpenAI-compatible endpoint. */
const PROVIDER = "swe-review";

/**
 * opencode's config (`OPENCODE_CONFIG`): one OpenAI-compatible provider whose URL, key and model come from the
 * environment when opencode reads the file (its `{env:NAME}` substitution), so no secret is written; tools run
 * without asking; no sharing, no self-update.
 */
const OPENCODE_CONFIG = {
  $schema: "https://opencode.ai/config.json",
  autoupdate: false,
  share: "disabled",
  model: `${PROVIDER}/{env:SWE_REVIEW_GENERATOR_MODEL}`,
  small_model: `${PROVIDER}/{env:SWE_REVIEW_GENERATOR_MODEL}`,
  provider: {
    [PROVIDER]: {
      npm: "@ai-sdk/openai-compatible",
      name: "swe-review generator endpoint",
      options: { baseURL: "{env:OPENAI_BASE_URL}", apiKey: "{env:OPENAI_API_KEY}" },
      models: { "{env:SWE_REVIEW_GENERATOR_MODEL}": {} },
    },
  },
  permission: { edit: "allow", bash: "allow", webfetch: "allow", external_directory: "allow" },
  // No formatter or language server is started (off unless configured; explicit, as both run programs).
  formatter: false,
  lsp: false,
};

/**
 * opencode (`opencode-ai`): OpenAI chat completions, streamed, through its bundled `@ai-sdk/openai-compatible`.
 * `OPENAI_BASE_URL` (with `/v1`; default OpenAI's) and `OPENAI_API_KEY` choose the server; the model is
 * `--model`'s. Before the task it makes a title-generation call to the same model.
 */
export const OPENCODE: AgentCli = {
  binary: "opencode",
  npmPackage: "opencode-ai",
  testedVersion: "1.18.33",
  env: {
    HOME: AGENT_HOME,
    OPENCODE_CONFIG: `${AGENT_HOME}/opencode.json`,
    // No model catalogue from models.opencode.ai, no update check, no default plugins, no LSP downloads, no sharing.
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_SHARE: "1",
    // The repository under work does not get to change the provider (where the key is sent) or the permissions.
    OPENCODE_DISABLE_PROJECT_CONFIG: "1",
  },
  // OPENCODE_DISABLE_PROJECT_CONFIG does not cover opencode's second ("v2") config loader, which still reads the
  // repository's opencode.json[c] and .opencode/ and imports the plugins they name or hold (checked: a plugin there
  // ran and dumped the environment, key included, into /testbed); nor does --pure. So they are out of the repository
  // while opencode runs. (Only /testbed's own: that loader looks from the working directory up to the project root.)
  hiddenProjectPaths: [".opencode", "opencode.json", "opencode.jsonc"],
  baseUrlEnv: "OPENAI_BASE_URL",
  credentialEnv: ["OPENAI_API_KEY"],
  optionalEnv: ["OPENAI_BASE_URL"],
  loginFiles: [".local/share/opencode/auth.json"],
  homeFiles: {
    "opencode.json": `${JSON.stringify(OPENCODE_CONFIG, null, 2)}\n`,
    // opencode npm-installs `@opencode-ai/plugin` into its config folder in the background, even with --pure; offline
    // there, that install fails at once (it is not needed to run) instead of reaching registry.npmjs.org.
    ".config/opencode/.npmrc": "offline=true\n",
  },
  template: (binary) =>
    `mkdir -p ${AGENT_HOME} && OPENAI_BASE_URL="\${OPENAI_BASE_URL:-https://api.openai.com/v1}" SWE_REVIEW_GENERATOR_MODEL={model} ${shellWord(binary)} run --pure --format json -m ${PROVIDER}/{model} "$(cat {instruction_file})" < /dev/null`,
  usage: opencodeUsage,
  accounts: "tokens (input, output, cache read); no cost",
};
