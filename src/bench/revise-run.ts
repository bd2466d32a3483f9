import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { parseRepoOverrides } from "../workspace/repo-source.js";
import { type BenchItem, benchItemsOptions, loadBenchItems } from "./items.js";
import { runPool } from "./pool.js";
import { RevisionResultSchema } from "./records.js";
import { type ReviseItemEnvironment, reviseItem } from "./revise-item.js";
import type { RunDir } from "./run-dir.js";
import { type ReviewRunSpec, RunSpecSchema } from "./spec.js";

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
    /** Local clones: the review run's, with those given now over them (see `reviseOverrides`). */
    overrides: ReadonlyMap<string, string>;
    concurrency: number;
    signal?: AbortSignal;
    logger: Logger;
    progress?: NodeJS.WritableStream;
  },
): Promise<ReviseRunSummary> {
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
  const todo = rejected.filter((item) => !verifiedRevision(run.itemDir(item.key)));
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
        line =
          resolved === null
            ? `not verified (${outcome.revision.error?.code ?? "error"})`
            : resolved
              ? "revision resolves it"
              : "revision does not resolve it";
      }
      out.write(`[revise] ${done}/${rejected.length} · ${item.key}: ${line}\n`);
    },
    options.signal,
  );
  summary.stopped = options.signal?.aborted ?? false;
  return summary;
}

/** The spec of a `bench review` run (what `bench revise` works on), or an error saying what the folder holds. */
export function reviewSpecOf(run: RunDir): ReviewRunSpec {
  if (run.manifest.kind !== "review") {
    throw new InputError(
      "run_dir_kind",
      `${run.dir} holds a '${run.manifest.kind}' run; bench revise revises the rejections of a 'bench review' run.`,
    );
  }
  const parsed = RunSpecSchema.safeParse(run.manifest.settings.spec);
  if (!parsed.success || parsed.data.kind !== "review") {
    throw new InputError(
      "run_dir_spec",
      `${join(run.dir, "run.json")} has no readable review spec (made by another version?): review again into a new --run-dir.`,
    );
  }
  return parsed.data;
}

/** The clones a revision uses: the review run's, with those given to `bench revise` over them. */
export function reviseOverrides(spec: ReviewRunSpec, given: readonly string[] = []): Map<string, string> {
  return new Map([...parseRepoOverrides(spec.repoOverrides), ...parseRepoOverrides(given)]);
}

/** Whether the item has a revision whose tests ran (one whose tests could not run is verified again). */
function verifiedRevision(itemDir: string): boolean {
  const file = join(itemDir, "revision.json");
  if (!existsSync(file)) return false;
  const parsed = RevisionResultSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success && parsed.data.resolved !== null;
}
