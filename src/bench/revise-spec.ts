import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { workspaceEnvironmentFrom } from "../assembly/agent-environment.js";
import { generatorFrom, generatorSecrets } from "../assembly/generator.js";
import { recordedBaseUrl, roleKey } from "../assembly/role-model.js";
import { verifierFrom } from "../assembly/verifier.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { camelCaseKeys, snakeCaseKeys } from "../common/record-casing.js";
import { redactRecord } from "../common/secrets.js";
import type { Config } from "../config/schema.js";
import { parseRepoOverrides, type RepoOverrides } from "../workspace/repo-source.js";
import type { ReviseItemEnvironment } from "./revise-item.js";
import type { RunDir } from "./run-dir-writer.js";
import { GeneratorSpecSchema, RetrySpec, type ReviewRunSpec, SandboxKindSchema } from "./spec.js";

/**
 * What `bench revise` does over a review run, as data: kept in the run directory (revise.json) when it goes through
 * the queue, so a worker on any machine rebuilds the same revisions. No secrets: each process reads its own keys.
 */
export const ReviseSpecSchema = z.object({
  generator: GeneratorSpecSchema,
  maxSteps: z.number().int().positive().optional(),
  sandbox: SandboxKindSchema.optional(),
  verifyTimeoutSeconds: z.number().positive(),
  /** `owner/name=/path` clones given to `bench revise`, over the review run's. */
  repoOverrides: z.array(z.string()),
  ...RetrySpec,
});
export type ReviseSpec = z.infer<typeof ReviseSpecSchema>;

/** `revise.json` as read back: this release's snake_case record, or the camelCase one of earlier releases. */
export const ReviseSpecReadSchema = z.preprocess(camelCaseKeys, ReviseSpecSchema);

const FILE = "revise.json";

/**
 * Records the revise settings in the run directory, refusing settings that would make the revisions of one run
 * incomparable (another generator, step limit, sandbox or test time limit). Where things are (base URL, clones)
 * and retries may change between submissions.
 */
export function keepReviseSpec(run: RunDir, spec: ReviseSpec): void {
  const path = join(run.dir, FILE);
  if (existsSync(path)) {
    const before = ReviseSpecReadSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (before.success && comparable(before.data) !== comparable(spec)) {
      throw new InputError(
        "revise_settings",
        `${run.dir} was revised with other settings (${comparable(before.data)}); this run asks for ${comparable(spec)}. ` +
          `Revisions would not be comparable: use the same settings, or delete ${path} and the instances' revision folders to start over.`,
      );
    }
  }
  // Recorded without URL credentials (recordedBaseUrl restores them from each process's own settings), snake_case.
  writeJsonAtomic(path, snakeCaseKeys(redactRecord(ReviseSpecSchema.parse(spec))));
}

/** The settings that decide what a revision is, in a fixed order (not where things are, nor retries). */
function comparable(spec: ReviseSpec): string {
  const { generator } = spec;
  return JSON.stringify({
    generator: generator.generator ?? null,
    generatorTimeoutSeconds: generator.timeoutSeconds,
    generatorNetwork: generator.network,
    generatorEnv: [...generator.envNames].sort(),
    maxSteps: spec.maxSteps ?? null,
    sandbox: spec.sandbox ?? null,
    verifyTimeoutSeconds: spec.verifyTimeoutSeconds,
  });
}

/** The spec `bench revise --queue` left in the run directory, or an error saying how to make one. */
export function readReviseSpec(run: RunDir): ReviseSpec {
  const path = join(run.dir, FILE);
  if (!existsSync(path)) {
    throw new InputError(
      "no_revise_spec",
      `${path} is missing: queue the revisions with \`swe-review bench revise --run-dir ${run.dir} --queue <url>\`.`,
    );
  }
  const parsed = ReviseSpecReadSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    throw new InputError(
      "bad_revise_spec",
      `${path} is not a revise spec (${parsed.error.issues[0]?.message}): queue the revisions again with bench revise --queue.`,
    );
  }
  return parsed.data;
}

/**
 * Everything one revision needs, built the same way here and in a queue worker: the generator (key from
 * `--generator-api-key`, else SWE_REVIEW_GENERATOR_API_KEY, else the configuration), its workspaces, the verifier,
 * and the clones (the review run's, with those given to `bench revise` over them).
 */
export function reviseEnvironmentFrom(
  spec: ReviseSpec,
  review: ReviewRunSpec,
  base: Config,
  logger: Logger,
  apiKey?: string,
): { environment: Omit<ReviseItemEnvironment, "signal" | "overrides">; overrides: RepoOverrides } {
  const sandbox = spec.sandbox ?? review.sandbox;
  const config: Config = {
    ...base,
    agent: { ...base.agent, ...(spec.maxSteps ? { maxSteps: spec.maxSteps } : {}) },
    sandbox: { ...base.sandbox, ...(sandbox ? { kind: sandbox } : {}) },
  };
  const overrides = new Map([
    ...parseRepoOverrides(review.repoOverrides),
    ...parseRepoOverrides(spec.repoOverrides),
  ]);
  const baseUrl = recordedBaseUrl("GENERATOR", spec.generator.baseUrl, config);
  const choice = {
    ...spec.generator,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(apiKey ? { apiKey } : roleKey("GENERATOR")),
  };
  const generator = generatorFrom(choice, config, logger);
  return {
    environment: {
      generator,
      generation: workspaceEnvironmentFrom(config, logger, [apiKey, ...generatorSecrets(generator)]),
      verifier: verifierFrom(config, { overrides, logger, timeoutMs: spec.verifyTimeoutSeconds * 1000 }),
      attempts: spec.attempts,
      ...(spec.retryDelayMs === undefined ? {} : { retryDelayMs: spec.retryDelayMs }),
      logger,
    },
    overrides,
  };
}
