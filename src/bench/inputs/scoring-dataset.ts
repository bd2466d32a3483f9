import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../../common/errors.js";
import type { Candidate } from "../../data/candidate.js";
import type { Instance } from "../../data/instance.js";
import { loadCandidates, loadInstances } from "../../data/load.js";
import { readRecords } from "../../data/records.js";
import { loadSweReviewBench } from "../../data/swe-review-bench.js";

/** One item of the dataset being scored: a candidate (or, for loop runs, an instance) and what is known about it. */
export interface DatasetItem {
  instance_id: string;
  candidate_id: string;
  split: string;
  /** candidate_resolved; null when the dataset does not say (the run's result may). */
  label: boolean | null;
  candidate_patch?: string;
  /** The instance's gold patch and FAIL_TO_PASS count, for localisation and difficulty. */
  gold_patch?: string;
  fail_to_pass?: number;
}

export interface ScoringDatasetOptions {
  /** SWE-Review-Bench split folders or hub-row files, or SWE-bench instance files. */
  paths: readonly string[];
  /** Candidates for the instances of a SWE-bench file (`{candidate_id, instance_id, model_patch, resolved?}`). */
  candidates?: string | undefined;
  /** SWE-bench instances to take gold patches and FAIL_TO_PASS lists from (SWE-Review-Bench rows have neither). */
  instances?: string;
  /** The split name (one dataset only); default: the folder's or file's name, or a candidate's source. */
  split?: string;
}

/**
 * The items to score. A folder, or a file whose rows have `model_patch`, is a SWE-Review-Bench split (one labelled
 * candidate per instance); a SWE-bench file with `candidates` gives those candidates; a SWE-bench file alone gives
 * its instances (loop runs, where the candidates are generated).
 */
export async function loadScoringDataset(options: ScoringDatasetOptions): Promise<DatasetItem[]> {
  if (options.paths.length === 0) throw new InputError("dataset_missing", "Give at least one --dataset.");
  if (options.paths.length > 1 && (options.split || options.candidates)) {
    throw new InputError(
      "dataset_options",
      "--split and --candidates apply to one --dataset; score several datasets by naming each split folder or file.",
    );
  }
  const items: DatasetItem[] = [];
  for (const path of options.paths) items.push(...(await datasetItems(path, options)));
  const gold = options.instances ? await loadInstances(options.instances) : [];
  const byId = new Map(gold.map((instance) => [instance.instance_id, instance]));
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.candidate_id)) {
      throw new InputError(
        "data_duplicate",
        `Candidate ${item.candidate_id} appears in more than one dataset; score each split once.`,
      );
    }
    seen.add(item.candidate_id);
    const instance = byId.get(item.instance_id);
    if (instance) Object.assign(item, goldOf(instance, item));
  }
  return items;
}

async function datasetItems(path: string, options: ScoringDatasetOptions): Promise<DatasetItem[]> {
  if (options.candidates) return candidateItems(path, options.candidates, options.split);
  if (await isReviewBench(path)) {
    const bench = await loadSweReviewBench(path, options.split ? { split: options.split } : {});
    return bench.entries.map((entry) => ({
      ...candidateItem(entry.candidate, bench.split, entry.candidate_resolved),
      ...(entry.instance ? goldOf(entry.instance, {}) : {}),
    }));
  }
  const split = options.split ?? basename(path).replace(/\.(jsonl|ndjson|json|parquet)$/i, "");
  return (await loadInstances(path)).map((instance) => ({
    instance_id: instance.instance_id,
    candidate_id: instance.instance_id,
    split,
    label: null,
    ...goldOf(instance, {}),
  }));
}

async function candidateItems(path: string, candidatesFile: string, split?: string): Promise<DatasetItem[]> {
  const instances = new Map((await loadInstances(path)).map((instance) => [instance.instance_id, instance]));
  return (await loadCandidates(candidatesFile)).map((candidate) => {
    const instance = instances.get(candidate.instance_id);
    if (!instance) {
      throw new InputError(
        "instance_not_found",
        `${candidatesFile}: candidate ${candidate.candidate_id} is for ${candidate.instance_id}, which ${path} does not have.`,
      );
    }
    const name = split ?? candidate.source ?? basename(candidatesFile).replace(/\.[^.]+$/, "");
    return { ...candidateItem(candidate, name, candidate.resolved ?? null), ...goldOf(instance, {}) };
  });
}

function candidateItem(candidate: Candidate, split: string, label: boolean | null): DatasetItem {
  return {
    instance_id: candidate.instance_id,
    candidate_id: candidate.candidate_id,
    split,
    label,
    candidate_patch: candidate.model_patch,
  };
}

/** The gold patch and FAIL_TO_PASS count of an instance, without overwriting what the item already has. */
function goldOf(instance: Instance, item: Partial<DatasetItem>): Partial<DatasetItem> {
  return {
    ...(item.gold_patch === undefined && instance.patch ? { gold_patch: instance.patch } : {}),
    ...(item.fail_to_pass === undefined && instance.FAIL_TO_PASS
      ? { fail_to_pass: instance.FAIL_TO_PASS.length }
      : {}),
  };
}

/** A split folder, or a file whose first row has a `model_patch`. */
async function isReviewBench(path: string): Promise<boolean> {
  if (existsSync(path) && statSync(path).isDirectory()) return true;
  const [first] = await readRecords(path);
  const value = first?.value;
  return typeof value === "object" && value !== null && "model_patch" in value;
}
