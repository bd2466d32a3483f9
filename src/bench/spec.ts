import { z } from "zod";
import { camelCaseKeys, snakeCaseKeys } from "../common/record-casing.js";
import { StrategySchema } from "../loop/records.js";

/**
 * What a benchmark run does, as data: stored in run.json, so any process (this one, or a queue worker on another
 * machine sharing the run directory) can rebuild the work for an item. Secrets are never part of it: each process
 * takes API keys from its own environment and configuration.
 */
export const DatasetSpecSchema = z.object({
  path: z.string(),
  candidates: z.string().optional(),
  split: z.string().optional(),
  instances: z.array(z.string()).optional(),
});

export const RoleSpecSchema = z.object({
  /** Model name; absent: the configured model. */
  name: z.string().optional(),
  baseUrl: z.string().optional(),
});
export type RoleSpec = z.infer<typeof RoleSpecSchema>;

/** Isolation of the agents' and tests' commands. */
export const SandboxKindSchema = z.enum(["bwrap", "local", "docker"]);

/** Infrastructure retries, shared by every kind of run. */
export const RetrySpec = {
  /** Tries per item for infrastructure failures. */
  attempts: z.number().int().positive(),
  /** Pause before the first retry (it grows with each attempt). */
  retryDelayMs: z.number().int().nonnegative().optional(),
};

export const ReviewRunSpecSchema = z.object({
  kind: z.literal("review"),
  dataset: DatasetSpecSchema,
  mode: z.enum(["agentic", "single-turn-diff", "single-turn-context"]),
  reviewer: RoleSpecSchema,
  maxSteps: z.number().int().positive().optional(),
  /** `owner/name=/path` local clones. */
  repoOverrides: z.array(z.string()),
  ...RetrySpec,
  sandbox: SandboxKindSchema.optional(),
});
export type ReviewRunSpec = z.infer<typeof ReviewRunSpecSchema>;

/** A generator as a run's spec names it: never a key (each process reads its own) nor variables' values. */
export const GeneratorSpecSchema = z.object({
  /** A model name, an external agent (claude, codex, …) or a command template; absent: the configured model. */
  generator: z.string().optional(),
  baseUrl: z.string().optional(),
  timeoutSeconds: z.number().positive(),
  network: z.boolean(),
  envNames: z.array(z.string()),
});
export type GeneratorSpec = z.infer<typeof GeneratorSpecSchema>;

/** `bench tts`: a loop strategy on every instance of a dataset, each sample verified by its tests. */
export const TtsRunSpecSchema = z.object({
  kind: z.literal("tts"),
  dataset: DatasetSpecSchema,
  strategy: StrategySchema,
  budget: z.number().int().positive(),
  noVerdict: z.enum(["stop", "reject"]),
  fallback: z.enum(["last", "most-confident"]),
  fromPrevious: z.boolean(),
  generator: GeneratorSpecSchema,
  reviewer: RoleSpecSchema,
  /** Run each sample's tests (needs FAIL_TO_PASS/PASS_TO_PASS and a test spec). */
  verify: z.boolean(),
  verifyTimeoutSeconds: z.number().positive(),
  maxSteps: z.number().int().positive().optional(),
  repoOverrides: z.array(z.string()),
  ...RetrySpec,
  sandbox: SandboxKindSchema.optional(),
});
export type TtsRunSpec = z.infer<typeof TtsRunSpecSchema>;

/** `bench verify`: the tests of every candidate that has no `resolved` label yet. */
export const VerifyRunSpecSchema = z.object({
  kind: z.literal("verify"),
  dataset: DatasetSpecSchema,
  timeoutSeconds: z.number().positive(),
  setupTimeoutSeconds: z.number().positive(),
  repoOverrides: z.array(z.string()),
  ...RetrySpec,
  sandbox: SandboxKindSchema.optional(),
});
export type VerifyRunSpec = z.infer<typeof VerifyRunSpecSchema>;

export const RunSpecSchema = z.discriminatedUnion("kind", [
  ReviewRunSpecSchema,
  TtsRunSpecSchema,
  VerifyRunSpecSchema,
]);
export type RunSpec = z.infer<typeof RunSpecSchema>;

/** A spec as `run.json`'s `settings.spec` holds it: the same fields, in snake_case (`repo_overrides`, `max_steps`). */
export function runSpecRecord(spec: RunSpec): unknown {
  return snakeCaseKeys(RunSpecSchema.parse(spec));
}

/** `settings.spec` as read back: this release's snake_case record, or the camelCase spec of earlier releases. */
export const RunSpecReadSchema = z.preprocess(camelCaseKeys, RunSpecSchema);
