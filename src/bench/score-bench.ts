import { InputError } from "../common/errors.js";
import { itemsFromReviews, readReviewsFile } from "./inputs/reviews-file.js";
import { readRevisionsFile, withRevisions } from "./inputs/revisions-file.js";
import { itemsFromRunDir, type ScoreInput } from "./inputs/run-dir-items.js";
import { readRunDir } from "./inputs/run-dir-reader.js";
import {
  type DatasetItem,
  loadScoringDataset,
  type ScoringDatasetOptions,
} from "./inputs/scoring-dataset.js";
import type { ScoreItem } from "./score/item.js";
import { buildScoreSummary, type ScoreSource, type ScoreSummary } from "./score/summary.js";
import { RunSpecReadSchema } from "./spec.js";

/** A scored benchmark: the summary (summary.json) and the per-item rows it was computed from (for the report). */
export interface ScoredBench {
  summary: ScoreSummary;
  items: ScoreItem[];
}

interface CommonOptions {
  /** The dataset: files and options, or items already loaded. */
  dataset?: ScoringDatasetOptions | readonly DatasetItem[];
  /** A `{instance_id, resolved}` file of revision outcomes (RRR); overrides the run directory's revision.json. */
  revisions?: string;
  /** The reviewer's model name, for the paper's figures (default: from run.json). */
  reviewer?: string;
  now?: Date;
}

/**
 * What `scoreRunDir` scores. Without `dataset` the one the run's run.json names is used (over the instances the run
 * was given); without either it throws an `InputError` (`dataset_missing`).
 */
export interface ScoreRunDirOptions extends CommonOptions {
  /** A run directory written by a `swe-review bench` run (`bench review`, `bench tts`, `bench verify`). */
  runDir: string;
}

/** What `scoreReviewsFile` scores; `dataset` is required (an `InputError`, `dataset_missing`, without it). */
export interface ScoreReviewsOptions extends CommonOptions {
  /** The released single-turn output: `[{instance_id, report}]` as JSON or JSONL. */
  reviews: string;
}

/**
 * Scores a run directory against its dataset (default: the one run.json names). Our conventions: every dataset item
 * counts, and only approve/request_changes are decisions.
 */
export async function scoreRunDir(options: ScoreRunDirOptions): Promise<ScoredBench> {
  const run = readRunDir(options.runDir);
  const datasetOption =
    options.dataset ??
    (run.manifest
      ? {
          paths: [run.manifest.dataset.path],
          ...(run.manifest.dataset.split ? { split: run.manifest.dataset.split } : {}),
          ...candidatesOf(run.manifest.settings.spec),
        }
      : undefined);
  if (!datasetOption) {
    throw new InputError(
      "dataset_missing",
      `${options.runDir} has no run.json naming its dataset: give --dataset.`,
    );
  }
  const all = await datasetItems(datasetOption);
  // A run over some instances (--instances) is scored over those, unless another dataset is named.
  const subset = options.dataset ? undefined : instancesOf(run.manifest?.settings.spec);
  const dataset = subset ? all.filter((item) => subset.has(item.instance_id)) : all;
  const input = await applyRevisions(itemsFromRunDir(dataset, run), options.revisions);
  const settings = run.manifest?.settings ?? {};
  const reviewer = options.reviewer ?? nameIn(settings.reviewer) ?? nameIn(settings.model);
  const mode = nameIn(settings.mode) ?? input.items.find((item) => item.mode)?.mode;
  const source: ScoreSource = {
    kind: "run-dir",
    path: options.runDir,
    datasets: datasetPaths(datasetOption),
    run_kind: run.manifest?.kind ?? (input.items.some((item) => item.loop) ? "tts" : "review"),
    ...(run.manifest ? { run_id: run.manifest.run_id } : {}),
    ...(reviewer ? { reviewer } : {}),
    ...(mode ? { mode } : {}),
    ...revisionSource(input.items, options.revisions, "the run directory's revision.json files"),
  };
  return score(input, source, "strict", options.now);
}

/**
 * Scores the released single-turn output file exactly as the released code would (its `extract_decision`: an
 * unknown decision string is a rejection), with every dataset item in the denominators; the released
 * denominators are reported beside when they differ.
 */
export async function scoreReviewsFile(options: ScoreReviewsOptions): Promise<ScoredBench> {
  if (!options.dataset) throw new InputError("dataset_missing", "Scoring a reviews file needs --dataset.");
  const dataset = await datasetItems(options.dataset);
  const input = await applyRevisions(
    itemsFromReviews(dataset, await readReviewsFile(options.reviews), options.reviews),
    options.revisions,
  );
  const source: ScoreSource = {
    kind: "reviews",
    path: options.reviews,
    datasets: datasetPaths(options.dataset),
    run_kind: "review",
    ...(options.reviewer ? { reviewer: options.reviewer } : {}),
    ...revisionSource(input.items, options.revisions, undefined),
  };
  return score(input, source, "released", options.now);
}

function score(
  input: ScoreInput,
  source: ScoreSource,
  decisions: "strict" | "released",
  now: Date | undefined,
): ScoredBench {
  const summary = buildScoreSummary(input.items, {
    source,
    decisions,
    revisions: source.revisions !== undefined,
    notes: input.notes,
    ...(now ? { now } : {}),
  });
  return { summary, items: input.items };
}

async function datasetItems(option: ScoringDatasetOptions | readonly DatasetItem[]): Promise<DatasetItem[]> {
  return Array.isArray(option) ? [...option] : loadScoringDataset(option as ScoringDatasetOptions);
}

function datasetPaths(option: ScoringDatasetOptions | readonly DatasetItem[]): string[] {
  return Array.isArray(option) ? [] : [...(option as ScoringDatasetOptions).paths];
}

async function applyRevisions(input: ScoreInput, revisions: string | undefined): Promise<ScoreInput> {
  if (!revisions) return input;
  return { ...input, items: withRevisions(input.items, await readRevisionsFile(revisions), revisions) };
}

function revisionSource(items: readonly ScoreItem[], file: string | undefined, runDir: string | undefined) {
  if (file) return { revisions: file };
  return runDir && items.some((item) => item.revision) ? { revisions: runDir } : {};
}

/** A model name from a settings value: a string, or an object with `model` or `name`. */
function nameIn(value: unknown): string | undefined {
  if (typeof value === "string" && value) return value;
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return nameIn(record.model) ?? nameIn(record.name);
  }
  return undefined;
}

/** The instances a run was limited to (its spec's `--instances`), if it was. */
function instancesOf(spec: unknown): Set<string> | undefined {
  const parsed = RunSpecReadSchema.safeParse(spec);
  const instances = parsed.success ? parsed.data.dataset.instances : undefined;
  return instances && instances.length > 0 ? new Set(instances) : undefined;
}

/** The candidates file a run was made with (its spec in run.json), which the scores must use too. */
function candidatesOf(spec: unknown): { candidates?: string } {
  const parsed = RunSpecReadSchema.safeParse(spec);
  if (!parsed.success || parsed.data.kind === "tts") return {};
  const { candidates } = parsed.data.dataset;
  return candidates ? { candidates } : {};
}
