import type { Logger } from "../common/logger.js";
import { createLogger } from "../common/logger.js";
import { urlSecrets } from "../common/redact-url.js";
import { secretValuesFromEnv, secretValuesFromOptions } from "../common/secrets.js";
import { type LoadedConfig, loadConfig } from "../config/load.js";
import type { ConfigLayer, LogLevel } from "../config/schema.js";

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  logLevel?: LogLevel;
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  provider?: "openai" | "anthropic";
  preset?: string;
  toolCalls?: "native" | "text";
  /** `--sandbox docker`: one image for every item (`sandbox.docker.image`). */
  image?: string;
  /** `--sandbox docker`: the image name pattern for dataset instances (`sandbox.docker.imageTemplate`). */
  imageTemplate?: string;
  /** `--no-pull`: false (`sandbox.docker.pull`). */
  pull?: boolean;
  /** `--remove-images` (`sandbox.docker.removeImages`). */
  removeImages?: boolean;
}

export interface CommandContext extends LoadedConfig {
  logger: Logger;
}

/**
 * Resolves configuration and logging for a command from its flags (`optsWithGlobals()`). The logger scrubs every
 * secret this process was given: the configured key and base URL's credentials, secret-named flags and the
 * credentials of URL flags (`--reviewer-base-url`, `--queue`), and secret-looking environment variables.
 */
export function commandContext(
  options: GlobalOptions,
  commandFlags: ConfigLayer = {},
  env: NodeJS.ProcessEnv = process.env,
): CommandContext {
  const flags: ConfigLayer = { ...commandFlags };
  const model: NonNullable<ConfigLayer["model"]> = {};
  if (options.model) model.name = options.model;
  if (options.baseUrl) model.baseUrl = options.baseUrl;
  if (options.apiKey) model.apiKey = options.apiKey;
  if (options.provider) model.provider = options.provider;
  if (options.preset) model.preset = options.preset;
  if (options.toolCalls) model.toolCalls = options.toolCalls;
  if (Object.keys(model).length > 0) flags.model = { ...flags.model, ...model };
  if (options.logLevel) flags.log = { level: options.logLevel };
  const docker: Record<string, unknown> = {};
  if (options.image) docker.image = options.image;
  if (options.imageTemplate) docker.imageTemplate = options.imageTemplate;
  if (options.pull === false) docker.pull = false;
  if (options.removeImages) docker.removeImages = true;
  if (Object.keys(docker).length > 0) {
    flags.sandbox = { ...flags.sandbox, docker: { ...flags.sandbox?.docker, ...docker } };
  }
  const loaded = loadConfig({ env, flags, ...(options.config ? { configFile: options.config } : {}) });
  const secrets = [
    loaded.config.model.apiKey,
    ...urlSecrets(loaded.config.model.baseUrl),
    ...secretValuesFromOptions(options),
    ...secretValuesFromEnv(env),
  ];
  return { ...loaded, logger: createLogger(loaded.config.log.level, { secrets }) };
}
