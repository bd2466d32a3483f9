import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { type BenchItem, benchItemsOptions, loadBenchItems } from "./items.js";
import { runPool } from "./pool.js";
import { type RevisionResult, RevisionResultReadSchema } from "./records.js";
import { type ReviseItemEnvironment, reviseItem } from "./revise-item.js";
import type { RunDir } from "./run-dir-writer.js";
import { type ReviewRunSpec, RunSpecReadSchema } from "./spec.js";

export interface ReviseRunSummary {
  /** Items the review rejected (request_changes): the ones the protocol revises. */
  rejected: number;
  /** Already revised and verified by an earlier run. */
  skipped: number;
  revised: number;
  resolved: number;
  /** Revisions made whose tests could not run (a re-run verifies them again). */
  unverified: number;
  /** Revisions that could not be made (infrastructure, after retries; a re-run tries again). */
  failed: number;
  stopped: boolean;
}

/**
 * `bench revise`: the RRR protocol over a finished review run. Every rejected candidate is revised once with its
 * review's feedback and verified; approved candidates and those without a verdict keep their own label when
 * scored. Resumable: a candidate with a verified `revision.json` is not revised again.
 */
export async function reviseRun(
  run: RunDir,
  options: {
    environment: Omit<ReviseItemEnvironment, "signal" | "overrides">;
    /** Local clones: the review run's, with those given now over them (see `reviseEnvironmentFrom`). */
    overrides: ReadonlyMap<string, string>;
    concurrency: number;
    signal?: AbortSignal;
    logger: Logger;
    progress?: NodeJS.WritableStream;
  },
): Promise<ReviseRunSummary> {
  const { rejected, todo } = await reviseTargets(run);
  const summary: ReviseRunSummary = {
    rejected: rejected.length,
    skipped: rejected.length - todo.length,
    revised: 0,
    resolved: 0,
    unverified: 0,
    failed: 0,
    stopped: false,
  };
  const out = options.progress ?? process.stderr;
  options.logger.info(
    { rejected: rejected.length, todo: todo.length, runDir: run.dir },
    "revising rejected candidates",
  );
  let done = summary.skipped;
  await runPool(
    todo,
    options.concurrency,
    async (item: BenchItem) => {
      const outcome = await reviseItem(item, run.itemDir(item.key), {
        ...options.environment,
        overrides: options.overrides,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (outcome.kind === "aborted") return;
      done += 1;
      let line: string;
      if (outcome.kind === "failed") {
        summary.failed += 1;
        line = `failed (${outcome.error.code})`;
      } else {
        summary.revised += 1;
        const { resolved } = outcome.revision;
        if (resolved) summary.resolved += 1;
        if (resolved === null) summary.unverified += 1;
        line = describeRevision(outcome.revision);
      }
      out.write(`[revise] ${done}/${rejected.length} · ${item.key}: ${line}\n`);
    },
    options.signal,
  );
  summary.stopped = options.signal?.aborted ?? false;
  return summary;
}

/**
 * The account of revisions another process made (queue workers): from the revision.json files of the candidates
 * that were to be revised, and the keys whose revision failed for good.
 */
export function revisionsAccount(
  run: RunDir,
  targets: { rejected: readonly BenchItem[]; todo: readonly BenchItem[] },
  failed: readonly string[],
  stopped: boolean,
): ReviseRunSummary {
  const revisions = targets.todo.flatMap((item) => {
    const file = join(run.itemDir(item.key), "revision.json");
    if (failed.includes(item.key) || !existsSync(file)) return [];
    const parsed = RevisionResultReadSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? [parsed.data] : [];
  });
  return {
    rejected: targets.rejected.length,
    skipped: targets.rejected.length - targets.todo.length,
    revised: revisions.length,
    resolved: revisions.filter((revision) => revision.resolved === true).length,
    unverified: revisions.filter((revision) => revision.resolved === null).length,
    failed: failed.length,
    stopped,
  };
}

/** A revision's outcome in a few words, for progress lines. */
export function describeRevision(revision: RevisionResult): string {
  if (revision.resolved === null) return `not verified (${revision.error?.code ?? "error"})`;
  return revision.resolved ? "revision resolves it" : "revision does not resolve it";
}

/** The rejected candidates of a review run (the ones the protocol revises), and those not yet revised and verified. */
export async function reviseTargets(run: RunDir): Promise<{ rejected: BenchItem[]; todo: BenchItem[] }> {
  const spec = reviewSpecOf(run);
  const items = await loadBenchItems(benchItemsOptions(spec.dataset));
  if (items.fingerprint !== run.manifest.dataset.fingerprint) {
    throw new InputError(
      "run_dir_dataset",
      `${spec.dataset.path} changed since ${run.dir} was reviewed, so its reviews are not of these candidates: ` +
        "restore the file, or review the new one into another --run-dir.",
    );
  }
  const rejected = items.items.filter((item) => {
    const result = run.result(item.key);
    return result?.status === "done" && result.review?.decision === "request_changes";
  });
  return { rejected, todo: rejected.filter((item) => !verifiedRevision(run.itemDir(item.key))) };
}

/** The spec of a `bench review` run (what `bench revise` works on), or an error saying what the folder holds. */
export function reviewSpecOf(run: RunDir): ReviewRunSpec {
  if (run.manifest.kind !== "review") {
    throw new InputError(
      "run_dir_kind",
      `${run.dir} holds a '${run.manifest.kind}' run; bench revise revises the rejections of a 'bench review' run.`,
    );
  }
  const parsed = RunSpecReadSchema.safeParse(run.manifest.settings.spec);
  if (!parsed.success || parsed.data.kind !== "review") {
    throw new InputError(
      "run_dir_spec",
      `${join(run.dir, "run.json")} has no readable review spec (made by another version?): review again into a new --run-dir.`,
    );
  }
  return parsed.data;
}

/** Whether the item has a revision whose tests ran (one whose tests could not run is verified again). */
export function verifiedRevision(itemDir: string): boolean {
  const file = join(itemDir, "revision.json");
  if (!existsSync(file)) return false;
  const parsed = RevisionResultReadSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success && parsed.data.resolved !== null;
}
