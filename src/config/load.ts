import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { errorMessage, InputError } from "../common/errors.js";
import { describeConfigIssues, listOf } from "./issues.js";
import { endpointVariables, findPreset } from "./presets.js";
import { type Config, type ConfigLayer, ConfigLayerSchema, ConfigSchema, DEFAULT_CONFIG } from "./schema.js";
import { type ConfigLayerSource, recordLayerSources, type ValueSources } from "./value-sources.js";

export type { ConfigLayerSource } from "./value-sources.js";

/** Where `loadConfig` looks for configuration; every field is optional. */
export interface LoadConfigOptions {
  /**
   * Where the repository's `.swe-review.yaml` is searched from (upwards to the repository root); default the
   * process's.
   */
  cwd?: string;
  /**
   * The environment layer (`SWE_REVIEW_*`, the preset's key variables) and the user file's location; default
   * `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** The home folder for the user file; default the user's. */
  homeDir?: string;
  /** `--config <file>`: read after the user and repo files, before the environment. */
  configFile?: string;
  /** Values from command-line flags (highest precedence). */
  flags?: ConfigLayer;
}

/** The resolved configuration, the layers it came from, and which layer set each value. */
export interface LoadedConfig {
  /** Validated; throws an `InputError` from `loadConfig` when a layer or the merged result is invalid. */
  config: Config;
  /** The layers read, lowest precedence first (defaults always; the others when they set anything). */
  layers: ConfigLayerSource[];
  /** The layer that last set each key (see value-sources.ts; `listSourcedValues` lists them per value). */
  sources: ValueSources;
}

export const REPO_CONFIG_NAMES = [".swe-review.yaml", ".swe-review.yml"];

/**
 * Resolves the configuration: defaults < user file (`~/.config/swe-review/config.yaml`) < repository
 * `.swe-review.yaml` (searched from the working directory up to the repository root) < `--config` file <
 * environment < flags.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const layers: ConfigLayerSource[] = [{ name: "defaults" }];
  let merged: Record<string, unknown> = structuredClone(DEFAULT_CONFIG);
  const sources: ValueSources = new Map();
  recordLayerSources(sources, DEFAULT_CONFIG, { name: "defaults" });

  const apply = (source: ConfigLayerSource, layer: ConfigLayer) => {
    merged = mergeLayer(merged, layer);
    recordLayerSources(sources, layer, source);
    layers.push(source);
  };

  const userFile = userConfigPath(env, options.homeDir);
  if (existsSync(userFile)) apply({ name: "user", path: userFile }, readLayerFile(userFile));
  const repoFile = findRepoConfig(cwd);
  if (repoFile) apply({ name: "repo", path: repoFile }, readLayerFile(repoFile));
  if (options.configFile) {
    const file = resolve(cwd, options.configFile);
    if (!existsSync(file)) {
      throw new InputError("config_file_missing", `Config file ${file} (from --config) does not exist.`);
    }
    apply({ name: "file", path: file }, readLayerFile(file));
  }
  const envLayer = layerFromEnv(
    env,
    endpointHint(merged.model as ConfigLayer["model"], options.flags?.model, env),
  );
  if (Object.keys(envLayer).length > 0) apply({ name: "env" }, envLayer);
  if (options.flags && Object.keys(options.flags).length > 0) {
    apply(
      { name: "flags" },
      validateLayer(options.flags, { label: "command-line flags", setBy: "a command-line flag" }),
    );
  }

  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = describeConfigIssues(result.error, ConfigSchema);
    throw new InputError("config_invalid", `Invalid configuration: ${problems.text}.`);
  }
  return { config: result.data, layers, sources };
}

export function userConfigPath(env: NodeJS.ProcessEnv = process.env, homeDir?: string): string {
  const base = env.XDG_CONFIG_HOME || join(homeDir ?? env.HOME ?? homedir(), ".config");
  return join(base, "swe-review", "config.yaml");
}

/** The nearest `.swe-review.yaml` from `start` upwards, stopping at the repository root (the folder with `.git`). */
export function findRepoConfig(start: string): string | undefined {
  let dir = start;
  for (;;) {
    for (const name of REPO_CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, ".git"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The environment's part of the configuration. `SWE_REVIEW_*` wins; the base URL and API key then come from the
 * variables of the model's preset (`ANTHROPIC_API_KEY` for Claude, `ZAI_API_KEY` for GLM, …), or from `OPENAI_*`
 * for OpenAI-compatible models without variables of their own — so a key is never sent to another vendor.
 */
export function layerFromEnv(
  env: NodeJS.ProcessEnv,
  endpoint: { provider?: "openai" | "anthropic"; preset?: string; name?: string } = {},
): ConfigLayer {
  const model: Record<string, string> = {};
  const variables = endpointVariables(findPreset(endpoint.name, endpoint.preset), endpoint.provider);
  const first = (names: readonly string[]) => names.map((name) => env[name]).find((value) => !!value);
  const baseUrl = first(variables.baseUrl);
  const apiKey = first(variables.apiKey);
  if (env.SWE_REVIEW_MODEL) model.name = env.SWE_REVIEW_MODEL;
  if (env.SWE_REVIEW_PROVIDER) model.provider = env.SWE_REVIEW_PROVIDER;
  if (env.SWE_REVIEW_TOOL_CALLS) model.toolCalls = env.SWE_REVIEW_TOOL_CALLS;
  if (baseUrl) model.baseUrl = baseUrl;
  if (apiKey) model.apiKey = apiKey;
  const layer: Record<string, unknown> = {};
  if (Object.keys(model).length > 0) layer.model = model;
  if (env.SWE_REVIEW_LOG_LEVEL) layer.log = { level: env.SWE_REVIEW_LOG_LEVEL };
  return validateLayer(layer, {
    label: "environment variables (SWE_REVIEW_*, OPENAI_*, ANTHROPIC_*, …)",
    setBy: "an environment variable",
  });
}

/** Which model the environment's variables are for: flags and SWE_REVIEW_* over the files read so far. */
function endpointHint(
  files: ConfigLayer["model"],
  flags: ConfigLayer["model"],
  env: NodeJS.ProcessEnv,
): { provider?: "openai" | "anthropic"; preset?: string; name?: string } {
  const provider = flags?.provider ?? env.SWE_REVIEW_PROVIDER ?? files?.provider;
  const preset = flags?.preset ?? files?.preset;
  const name = flags?.name ?? env.SWE_REVIEW_MODEL ?? files?.name;
  return {
    ...(provider === "openai" || provider === "anthropic" ? { provider } : {}),
    ...(preset ? { preset } : {}),
    ...(name ? { name } : {}),
  };
}

function readLayerFile(file: string): ConfigLayer {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError("config_unreadable", `Cannot read config file ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return validateLayer(raw ?? {}, { file });
}

/** Where a layer's values came from: a file, or what set them (for the message that says what to fix). */
type LayerOrigin = { file: string } | { label: string; setBy: string };

/**
 * The layer, or bad input naming where it came from, each key at fault with what was expected there, and where
 * to fix it (not `swe-review config`, which reads the same layers and fails the same way).
 */
function validateLayer(raw: unknown, origin: LayerOrigin): ConfigLayer {
  const result = ConfigLayerSchema.safeParse(raw);
  if (!result.success) {
    const problems = describeConfigIssues(result.error, ConfigLayerSchema);
    const keys = listOf(problems.keys);
    const where = "file" in origin ? origin.file : origin.label;
    const fix = "file" in origin ? `Fix ${keys} in ${origin.file}.` : `Fix ${keys} (set by ${origin.setBy}).`;
    throw new InputError("config_invalid", `Invalid configuration in ${where}: ${problems.text}. ${fix}`);
  }
  return result.data;
}

function mergeLayer(base: Record<string, unknown>, layer: ConfigLayer): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [section, values] of Object.entries(layer)) {
    if (values === undefined) continue;
    const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
    const previous = (base[section] ?? {}) as Record<string, unknown>;
    // `sandbox.docker` merges key by key too: a flag for one of its keys keeps the file's others.
    if (section === "sandbox" && defined.docker && previous.docker) {
      defined.docker = { ...(previous.docker as object), ...(defined.docker as object) };
    }
    out[section] = { ...previous, ...defined };
  }
  return out;
}
