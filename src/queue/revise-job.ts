import { statSync } from "node:fs";
import { join } from "node:path";
import type { BenchItem } from "../bench/items.js";
import { type ReviseItemEnvironment, reviseItem } from "../bench/revise-item.js";
import { describeRevision, reviewSpecOf, reviseTargets, verifiedRevision } from "../bench/revise-run.js";
import { readReviseSpec, reviseEnvironmentFrom } from "../bench/revise-spec.js";
import { RunDir } from "../bench/run-dir-writer.js";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";

/** What a revise job came to: a line for the worker's report, or back to the queue (stopped). */
export type ReviseJobOutcome = { kind: "done"; line: string } | { kind: "aborted" };

interface LoadedRun {
  run: RunDir;
  rejected: Map<string, BenchItem>;
  environment: Omit<ReviseItemEnvironment, "signal">;
}

/**
 * Does `revise` jobs (bench revise --queue): rebuilds the revision environment of a review run from its run
 * directory (revise.json) and this process's configuration, once per run, and revises one rejected candidate as the
 * in-process `bench revise` does. A revision that could not be made throws, so the queue retries it with backoff.
 */
export function reviseJobRunner(options: { config?: Config; logger: Logger }) {
  const runs = new Map<string, { version: number; loaded: Promise<LoadedRun> }>();
  const load = (runDir: string) => {
    // Rebuilt when revise.json changes (a submission from another place: new base URL or clones).
    const version = reviseSpecVersion(runDir);
    let loaded = runs.get(runDir)?.version === version ? runs.get(runDir)?.loaded : undefined;
    if (!loaded) {
      loaded = (async () => {
        const run = RunDir.existing(runDir);
        const spec = readReviseSpec(run);
        const { rejected } = await reviseTargets(run);
        // The queue retries jobs; each attempt is a single try.
        const { environment, overrides } = reviseEnvironmentFrom(
          { ...spec, attempts: 1 },
          reviewSpecOf(run),
          options.config ?? loadConfig().config,
          options.logger,
        );
        return {
          run,
          rejected: new Map(rejected.map((item) => [item.key, item])),
          environment: { ...environment, overrides },
        };
      })();
      loaded.catch(() => runs.delete(runDir));
      runs.set(runDir, { version, loaded });
    }
    return loaded;
  };

  return async (runDir: string, key: string, signal?: AbortSignal): Promise<ReviseJobOutcome> => {
    const { run, rejected, environment } = await load(runDir);
    const itemDir = run.itemDir(key);
    if (verifiedRevision(itemDir)) return { kind: "done", line: "already revised and verified" };
    // A review finished after this run was loaded (a re-run of failed items) may have rejected it since.
    const item = rejected.get(key) ?? (await reviseTargets(run)).rejected.find((found) => found.key === key);
    if (!item) {
      throw new InputError(
        "not_revisable",
        `${runDir} has no rejected candidate ${key}: only what its review rejected is revised.`,
      );
    }
    const outcome = await reviseItem(item, itemDir, { ...environment, ...(signal ? { signal } : {}) });
    if (outcome.kind === "aborted") return outcome;
    if (outcome.kind === "failed") throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return { kind: "done", line: describeRevision(outcome.revision) };
  };
}

function reviseSpecVersion(runDir: string): number {
  try {
    return statSync(join(runDir, "revise.json")).mtimeMs;
  } catch {
    return 0;
  }
}
