import type { Logger } from "../common/logger.js";
import { createLogger } from "../common/logger.js";
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
}

export interface CommandContext extends LoadedConfig {
  logger: Logger;
}

/** Resolves configuration and logging for a command from the global flags. */
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
  const loaded = loadConfig({ env, flags, ...(options.config ? { configFile: options.config } : {}) });
  return { ...loaded, logger: createLogger(loaded.config.log.level) };
}
