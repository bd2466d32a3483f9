import { ContextGuard } from "../agent/context-guard.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { isRedactedUrl, redactUrl } from "../common/redact-url.js";
import { requireModel } from "../config/require-model.js";
import { type ResolvedModel, resolveModel } from "../config/resolve-model.js";
import type { Config } from "../config/schema.js";
import { createResolvedModel } from "../model/create.js";
import { contextBudgetFor } from "../model/tokens/create-counter.js";
import type { Model } from "../model/types.js";

/** A role's model as the flags (or a run spec read back from disk) name it; any field may be absent. */
export interface RoleModelFlags {
  name?: string | undefined;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
}

export interface RoleModel {
  resolved: ResolvedModel;
  model: Model;
  /** A fresh context guard per agent run (it learns from one conversation), when the context length is known. */
  contextGuard: () => ContextGuard | undefined;
}

/**
 * The model for one role (generator or reviewer): the configured model with the role's own name, base URL and key
 * over it. A role with its own base URL does not get the shared API key (one server's key is never sent to
 * another) unless it is given its own.
 */
export function roleModel(config: Config, flags: RoleModelFlags, logger: Logger): RoleModel {
  const base = config.model;
  const apiKey = flags.apiKey ?? (flags.baseUrl ? undefined : base.apiKey);
  const resolved = resolveModel(
    requireModel({
      ...base,
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
      apiKey,
    }),
  );
  const model = createResolvedModel(resolved, { logger });
  return {
    resolved,
    model,
    contextGuard: () => {
      const budget = contextBudgetFor(resolved);
      return budget ? new ContextGuard(budget) : undefined;
    },
  };
}

/**
 * A role's own API key from this process's environment (`SWE_REVIEW_REVIEWER_API_KEY`,
 * `SWE_REVIEW_GENERATOR_API_KEY`): benchmark runs store no keys, so each process (a queue worker too) reads them.
 */
export function roleKey(role: "REVIEWER" | "GENERATOR"): { apiKey?: string } {
  const value = process.env[`SWE_REVIEW_${role}_API_KEY`];
  return value ? { apiKey: value } : {};
}

/**
 * A role's base URL as a benchmark run recorded it, made usable by this process. Runs record URLs without their
 * credentials (run.json and revise.json are shared and kept), so when the recorded URL had some, this process
 * supplies the full URL itself, as it does keys: `SWE_REVIEW_REVIEWER_BASE_URL` / `SWE_REVIEW_GENERATOR_BASE_URL`
 * (used as given: the server may have moved), else the configured base URL when it is the same endpoint.
 */
export function recordedBaseUrl(
  role: "REVIEWER" | "GENERATOR",
  recorded: string | undefined,
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (recorded === undefined || !isRedactedUrl(recorded)) return recorded;
  const variable = `SWE_REVIEW_${role}_BASE_URL`;
  const own = env[variable];
  if (own) return own;
  const configured = config.model.baseUrl;
  if (configured && redactUrl(configured) === recorded) return configured;
  throw new InputError(
    "base_url_credentials",
    `The run records the ${role.toLowerCase()}'s base URL without its credentials (${recorded}); runs never store them. ` +
      `Give this process the full URL in ${variable} (or as its base URL, --base-url, when it is the same server).`,
  );
}
