import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Logger, silentLogger } from "../../common/logger.js";
import type { TestConfig } from "../../config/schema.js";
import type { Candidate } from "../../data/candidate.js";
import type { Instance } from "../../data/instance.js";
import type { Environment } from "../run/environment.js";
import type { VerifiedCandidate } from "../run/verify-candidate.js";
import type { VerifyResult } from "../run/verify-result.js";
import { verifyWithSpec } from "../run/verify-with-spec.js";
import type { ResultsFile } from "./results-file.js";

/**
 * What `verifyBatch` verifies, where and how. Every candidate's instance must be among `instances`. The caller owns
 * the environment and the results file: neither is disposed of or closed here.
 */
export interface VerifyBatchOptions {
  instances: readonly Instance[];
  candidates: readonly Candidate[];
  /** Where checkouts are made and tests run (a sandbox or container environment). */
  environment: Environment;
  /** Where verdicts go; candidates it already has are skipped. */
  results: ResultsFile;
  /** Where logs are kept: `<runDir>/<instance_id>/<candidate>.log` and `.tests.json`. */
  runDir: string;
  /** Candidates verified at once. */
  jobs: number;
  /** Time limit of each candidate's test command, in milliseconds. */
  timeoutMs: number;
  /** Time limit of each setup command, in milliseconds. */
  setupTimeoutMs: number;
  /** The `test:` section of the configuration. */
  testConfig?: TestConfig;
  logger?: Logger;
  /** Called after each verdict is appended. */
  onProgress?: (progress: VerifyProgress) => void;
  /** Stops starting new candidates (those running finish and are recorded). */
  signal?: AbortSignal;
}

/** Progress of a batch after one verdict. */
export interface VerifyProgress {
  /** Candidates done, those skipped as already in the results file included. */
  done: number;
  total: number;
  /** The verdict just appended. */
  result: VerifyResult;
}

/** What a batch did, by count (`skipped + verified` is `total` unless the batch was stopped). */
export interface VerifySummary {
  /** Candidates selected. */
  total: number;
  /** Already in the results file. */
  skipped: number;
  /** Verified in this batch (resolved + unresolved + errors). */
  verified: number;
  resolved: number;
  unresolved: number;
  /** Not judged: the run itself failed. */
  errors: number;
}

/** Verifies candidates `jobs` at a time, appending each verdict as it is known. */
export async function verifyBatch(options: VerifyBatchOptions): Promise<VerifySummary> {
  const logger = options.logger ?? silentLogger;
  const byId = new Map(options.instances.map((instance) => [instance.instance_id, instance]));
  const pending = options.candidates.filter(
    (candidate) => !options.results.finished.has(candidate.candidate_id),
  );
  const summary: VerifySummary = {
    total: options.candidates.length,
    skipped: options.candidates.length - pending.length,
    verified: 0,
    resolved: 0,
    unresolved: 0,
    errors: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const candidate = pending[next++] as Candidate;
      const instance = byId.get(candidate.instance_id);
      if (!instance) throw new Error(`candidate ${candidate.candidate_id} has no instance`); // selectCandidates checks
      const verified = await verifyWithSpec(instance, candidate, { ...options, logger });
      const { result } = verified;
      result.log = keepLog(options.runDir, verified);
      options.results.append(result);
      summary.verified++;
      if (result.error !== undefined) summary.errors++;
      else if (result.resolved) summary.resolved++;
      else summary.unresolved++;
      options.onProgress?.({ done: summary.skipped + summary.verified, total: summary.total, result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, pending.length)) }, worker));
  return summary;
}

/** Writes the log and the test statuses; returns the log's path. */
function keepLog(runDir: string, verified: VerifiedCandidate): string {
  const dir = join(runDir, safeName(verified.result.instance_id));
  mkdirSync(dir, { recursive: true });
  const base = join(dir, safeName(verified.result.candidate_id));
  writeFileSync(`${base}.log`, verified.log);
  writeFileSync(`${base}.tests.json`, `${JSON.stringify(verified.tests, null, 1)}\n`);
  return `${base}.log`;
}

/** A file name for an id: kept when safe, else cleaned and told apart by a short hash. */
export function safeName(id: string): string {
  if (/^[\w.@+-]+$/.test(id) && !id.startsWith(".")) return id;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${id.replace(/[^\w.@+-]/g, "_").replace(/^\./, "_")}-${hash}`;
}
