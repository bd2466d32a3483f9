import { redactUrl } from "../common/redact-url.js";
import type { ConfiguredModel } from "../config/require-model.js";
import { type ResolvedModel, resolveModel } from "../config/resolve-model.js";
import { createResolvedModel } from "../model/create.js";
import { type CheckResult, runChecks } from "./check.js";
import { endpointChecks } from "./endpoint-checks.js";

export interface DoctorOptions {
  model: ConfiguredModel;
  env?: NodeJS.ProcessEnv;
  /** Per-request timeout for the probes (shorter than a run's, so a hung server is reported quickly). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  onResult?: (result: CheckResult) => void;
}

export interface DoctorReport {
  model: { name: string; provider: string; baseUrl: string; preset: string | null };
  results: CheckResult[];
  /** True when no check failed. */
  healthy: boolean;
}

/**
 * Checks a configured endpoint the way a run would use it: reachable, model listed, a one-tool round trip
 * (natively, or only as text), structured output, the context length the server reports, and how tokens will be
 * counted. Probes are sent once, without retries. Further check lists (e.g. a dataset's instances) plug into the
 * same runner and report.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const resolved: ResolvedModel = {
    ...resolveModel(options.model),
    maxRetries: 0,
    timeoutSeconds: options.timeoutSeconds ?? 60,
  };
  const results = await runChecks(
    endpointChecks(),
    {
      resolved,
      model: (overrides = {}) => createResolvedModel({ ...resolved, ...overrides }),
      env: options.env ?? process.env,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    options.onResult,
  );
  return {
    model: {
      name: resolved.name,
      provider: resolved.provider,
      baseUrl: redactUrl(resolved.baseUrl),
      preset: resolved.preset?.id ?? null,
    },
    results,
    healthy: results.every((result) => result.status !== "fail"),
  };
}
