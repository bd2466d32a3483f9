import { z } from "zod";
import { PricingSchema } from "./schema.js";

/**
 * Model presets: what a serving setup needs to be used well, as data. A preset is chosen by `model.preset` or
 * by matching the model name (first match wins: specific patterns come before general ones); every value can be
 * overridden in the configuration. Prices are vendors' list prices in US dollars per million tokens at the time of
 * writing (self-hosted models cost nothing per token); override them with `model.pricing`.
 */
export const PresetSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    /** Matched against the lower-cased model name without an organisation prefix; absent: chosen by id only. */
    match: z.instanceof(RegExp).optional(),
    provider: z.enum(["openai", "anthropic"]),
    /** The environment variable read for the base URL when none is configured, and the default after it. */
    baseUrlEnv: z.string(),
    defaultBaseUrl: z.url(),
    /** The environment variable read for the API key when none is configured (none for local servers). */
    apiKeyEnv: z.string().optional(),
    /** `native`: the server parses calls; `text`: calls are written and read as text (no parser). */
    toolCalls: z.enum(["native", "text"]),
    /** The model's own text format for calls (Qwen3 hermes JSON or Qwen3-Coder XML), for text mode and fallback. */
    toolCallFormat: z.enum(["hermes", "qwen3_coder"]).optional(),
    /** Send earlier reasoning back (`reasoning_content`): the Qwen3 and GLM chat templates read it. */
    reasoningRoundTrip: z.boolean(),
    contextLength: z.number().int().positive(),
    /** The Hugging Face repository whose `tokenizer.json` counts this model's tokens exactly. */
    tokenizer: z.string().optional(),
    /** List prices; absent when none is on file (costs are then not counted unless `model.pricing` is set). */
    pricing: PricingSchema.optional(),
    /** How to serve it, or what to watch for. Shown by `swe-review models` and `doctor`. */
    notes: z.string().optional(),
  })
  .strict();
/**
 * A known model's defaults (provider, endpoint, tool-call format, context length, tokenizer, prices); see
 * `PresetSchema`.
 */
export type Preset = z.infer<typeof PresetSchema>;

const FREE = { input: 0, cachedInput: 0, output: 0 };
/** A model served on this machine by vLLM, its tool parser on. */
const LOCAL = {
  provider: "openai",
  baseUrlEnv: "SWE_REVIEW_BASE_URL",
  defaultBaseUrl: "http://localhost:8000/v1",
  toolCalls: "native",
} as const;
const OPENAI = {
  provider: "openai",
  baseUrlEnv: "OPENAI_BASE_URL",
  defaultBaseUrl: "https://api.openai.com/v1",
  apiKeyEnv: "OPENAI_API_KEY",
  toolCalls: "native",
  reasoningRoundTrip: false,
} as const;
const ANTHROPIC = {
  provider: "anthropic",
  baseUrlEnv: "ANTHROPIC_BASE_URL",
  defaultBaseUrl: "https://api.anthropic.com",
  apiKeyEnv: "ANTHROPIC_API_KEY",
  toolCalls: "native",
  reasoningRoundTrip: true,
  contextLength: 200_000,
} as const;
const ZAI = {
  provider: "openai",
  baseUrlEnv: "ZAI_BASE_URL",
  defaultBaseUrl: "https://api.z.ai/api/paas/v4",
  apiKeyEnv: "ZAI_API_KEY",
  toolCalls: "native",
  reasoningRoundTrip: true,
} as const;
const VLLM_HERMES = (model: string, name: string) =>
  `vllm serve ${model} --served-model-name ${name} --max-model-len 131072 --enable-auto-tool-choice --tool-call-parser hermes`;

const TABLE: z.input<typeof PresetSchema>[] = [
  {
    id: "swe-review-30b-a3b",
    description: "SWE-Review-30B-A3B on vLLM (hermes tool parser)",
    match: /swe-review-30b-a3b/,
    ...LOCAL,
    toolCallFormat: "hermes",
    reasoningRoundTrip: true,
    contextLength: 131_072,
    tokenizer: "Qwen/Qwen3-30B-A3B",
    pricing: FREE,
    notes: VLLM_HERMES("SWE-Lego/SWE-Review-30B-A3B", "SWE-Review-30B-A3B"),
  },
  {
    id: "swe-review-8b",
    description: "SWE-Review-8B (and Mixed-6K-8B) on vLLM (hermes tool parser)",
    match: /swe-review-(mixed-6k-)?8b/,
    ...LOCAL,
    toolCallFormat: "hermes",
    reasoningRoundTrip: true,
    contextLength: 131_072,
    tokenizer: "Qwen/Qwen3-8B",
    pricing: FREE,
    notes: VLLM_HERMES("SWE-Lego/SWE-Review-8B", "SWE-Review-8B"),
  },
  {
    id: "qwen3-coder",
    description: "Qwen3-Coder on vLLM (qwen3_coder XML tool calls)",
    match: /qwen3-coder/,
    ...LOCAL,
    toolCallFormat: "qwen3_coder",
    reasoningRoundTrip: false,
    contextLength: 262_144,
    tokenizer: "Qwen/Qwen3-Coder-30B-A3B-Instruct",
    pricing: FREE,
    notes:
      "vllm serve Qwen/Qwen3-Coder-30B-A3B-Instruct --enable-auto-tool-choice --tool-call-parser qwen3_coder",
  },
  {
    id: "qwen3-2507",
    description: "Qwen3 2507 Instruct/Thinking on vLLM (hermes)",
    match: /qwen3-.*2507/,
    ...LOCAL,
    toolCallFormat: "hermes",
    reasoningRoundTrip: true,
    contextLength: 262_144,
    tokenizer: "Qwen/Qwen3-30B-A3B-Instruct-2507",
    pricing: FREE,
    notes: "vllm serve Qwen/Qwen3-30B-A3B-Instruct-2507 --enable-auto-tool-choice --tool-call-parser hermes",
  },
  {
    id: "qwen3",
    description: "Qwen3 on vLLM (hermes; reasoning parser qwen3)",
    match: /qwen3/,
    ...LOCAL,
    toolCallFormat: "hermes",
    reasoningRoundTrip: true,
    contextLength: 40_960,
    tokenizer: "Qwen/Qwen3-8B",
    pricing: FREE,
    notes:
      "vllm serve Qwen/Qwen3-8B --enable-auto-tool-choice --tool-call-parser hermes --reasoning-parser qwen3",
  },
  {
    id: "glm-4.5",
    description: "GLM-4.5 / 4.5-Air by the Z.ai API (or vLLM --tool-call-parser glm45)",
    match: /glm-4\.5/,
    ...ZAI,
    contextLength: 131_072,
    pricing: { input: 0.6, cachedInput: 0.11, output: 2.2 },
  },
  {
    id: "glm-4.6",
    description: "GLM-4.6 / 4.7 by the Z.ai API (or vLLM --tool-call-parser glm45)",
    match: /glm-4\.[67]/,
    ...ZAI,
    contextLength: 202_752,
    pricing: { input: 0.6, cachedInput: 0.11, output: 2.2 },
  },
  {
    id: "glm-5",
    description: "GLM-5 (the SWE-Review teacher) by the Z.ai API",
    match: /glm-5/,
    ...ZAI,
    contextLength: 202_752,
    pricing: { input: 1, cachedInput: 0.2, output: 3.2 },
  },
  {
    id: "claude-opus-4.5",
    description: "Claude Opus 4.5 / 4.6 (Anthropic Messages API)",
    match: /claude-opus-4-[56]/,
    ...ANTHROPIC,
    pricing: { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  },
  {
    id: "claude-opus-4",
    description: "Claude Opus 4 / 4.1 (Anthropic Messages API)",
    // Not 4.7 and later: their list price is not on file here (the generic `claude` preset takes them).
    match: /claude-opus-4(?!-[5-9])/,
    ...ANTHROPIC,
    pricing: { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  },
  {
    id: "claude-sonnet-4",
    description: "Claude Sonnet 4 / 4.5 / 4.6 (Anthropic Messages API)",
    match: /claude-sonnet-4/,
    ...ANTHROPIC,
    pricing: { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  },
  {
    id: "claude-haiku-4",
    description: "Claude Haiku 4.5 (Anthropic Messages API)",
    match: /claude-haiku-4/,
    ...ANTHROPIC,
    pricing: { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  },
  {
    id: "claude-sonnet-5",
    description: "Claude Sonnet 5 / 5.5 (Anthropic Messages API)",
    match: /claude-sonnet-5/,
    ...ANTHROPIC,
    pricing: { input: 2, cachedInput: 0.2, cacheWrite: 2.5, output: 10 },
  },
  {
    id: "claude",
    description: "Any other Claude model (Anthropic Messages API); no list price on file: set model.pricing",
    match: /^claude-/,
    ...ANTHROPIC,
  },
  {
    id: "gpt-5-mini",
    description: "GPT-5 mini (OpenAI API)",
    match: /^gpt-5-mini/,
    ...OPENAI,
    contextLength: 400_000,
    pricing: { input: 0.25, cachedInput: 0.025, output: 2 },
  },
  {
    id: "gpt-5",
    description: "GPT-5 (OpenAI API)",
    match: /^gpt-5/,
    ...OPENAI,
    contextLength: 400_000,
    pricing: { input: 1.25, cachedInput: 0.125, output: 10 },
  },
  {
    id: "gpt-4.1-mini",
    description: "GPT-4.1 mini (OpenAI API)",
    match: /^gpt-4\.1-mini/,
    ...OPENAI,
    contextLength: 1_047_576,
    pricing: { input: 0.4, cachedInput: 0.1, output: 1.6 },
  },
  {
    id: "gpt-4.1",
    description: "GPT-4.1 (OpenAI API)",
    match: /^gpt-4\.1/,
    ...OPENAI,
    contextLength: 1_047_576,
    pricing: { input: 2, cachedInput: 0.5, output: 8 },
  },
  {
    id: "gpt-4o-mini",
    description: "GPT-4o mini (OpenAI API)",
    match: /^gpt-4o-mini/,
    ...OPENAI,
    contextLength: 128_000,
    pricing: { input: 0.15, cachedInput: 0.075, output: 0.6 },
  },
  {
    id: "gpt-4o",
    description: "GPT-4o (OpenAI API)",
    match: /^gpt-4o/,
    ...OPENAI,
    contextLength: 128_000,
    pricing: { input: 2.5, cachedInput: 1.25, output: 10 },
  },
  {
    id: "ollama",
    description: "Any model on a local Ollama server (select with model.preset: ollama)",
    provider: "openai",
    baseUrlEnv: "OLLAMA_BASE_URL",
    defaultBaseUrl: "http://localhost:11434/v1",
    toolCalls: "native",
    toolCallFormat: "hermes",
    reasoningRoundTrip: false,
    contextLength: 4_096,
    pricing: FREE,
    notes:
      "Ollama's default context is 4,096 tokens and it cuts longer prompts silently: raise it (OLLAMA_CONTEXT_LENGTH, or PARAMETER num_ctx in a Modelfile) and set model.contextLength to match.",
  },
  {
    id: "llama-cpp",
    description: "Any model on a llama.cpp server (select with model.preset: llama-cpp)",
    provider: "openai",
    baseUrlEnv: "LLAMA_CPP_BASE_URL",
    defaultBaseUrl: "http://localhost:8080/v1",
    toolCalls: "text",
    toolCallFormat: "hermes",
    reasoningRoundTrip: false,
    contextLength: 8_192,
    pricing: FREE,
    notes:
      "Without --jinja llama-server ignores tools, so calls are written as text; start it with --jinja for native calls (then set model.toolCalls: native) and -c to set the context, which doctor reports.",
  },
];

export const PRESETS: readonly Preset[] = TABLE.map((entry) => PresetSchema.parse(entry));

/** The preset of a model: the one named by id, else the first whose pattern matches the model name. */
export function findPreset(name: string | undefined, id?: string): Preset | undefined {
  if (id !== undefined) return PRESETS.find((preset) => preset.id === id);
  if (!name) return undefined;
  const key = name.toLowerCase().replace(/^.*\//, "");
  return PRESETS.find((preset) => preset.match?.test(key));
}

const GENERIC_VARIABLES = {
  openai: { baseUrl: "OPENAI_BASE_URL", apiKey: "OPENAI_API_KEY" },
  anthropic: { baseUrl: "ANTHROPIC_BASE_URL", apiKey: "ANTHROPIC_API_KEY" },
} as const;

/**
 * The environment variables read for a model's base URL and API key, in order: `SWE_REVIEW_*`, the preset's
 * own, and — for presets without a key variable of their own (local servers) or no preset — the provider's
 * generic ones (`OPENAI_*`, `ANTHROPIC_*`).
 */
export function endpointVariables(
  preset: Preset | undefined,
  provider: "openai" | "anthropic" | undefined,
): { baseUrl: string[]; apiKey: string[] } {
  const generic = GENERIC_VARIABLES[provider ?? preset?.provider ?? "openai"];
  const own = preset?.apiKeyEnv !== undefined;
  const unique = (names: (string | undefined)[]) => [...new Set(names.filter((n): n is string => !!n))];
  return {
    baseUrl: unique(["SWE_REVIEW_BASE_URL", preset?.baseUrlEnv, own ? undefined : generic.baseUrl]),
    apiKey: unique(["SWE_REVIEW_API_KEY", preset?.apiKeyEnv ?? generic.apiKey]),
  };
}
