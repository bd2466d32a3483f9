import { usageOf } from "../../model/usage-record.js";
import type { ScoreItem } from "../score/item.js";
import { DatasetIndex } from "./dataset-index.js";
import type { RunDirContents, RunDirItem } from "./run-dir-reader.js";
import type { DatasetItem } from "./scoring-dataset.js";

export interface ScoreInput {
  items: ScoreItem[];
  /** What reading the inputs found worth saying (results outside the dataset, label disagreements). */
  notes: string[];
}

/**
 * Every dataset item with what the run directory says about it. Decisions are ours (reviews were read with the
 * tolerant parser, so a decision is approve, request_changes or none). The dataset's label wins over the result's;
 * a result for no dataset item is left out and counted in the notes.
 */
export function itemsFromRunDir(dataset: readonly DatasetItem[], run: RunDirContents): ScoreInput {
  const index = new DatasetIndex(dataset);
  const found = new Map<string, RunDirItem>();
  let outside = 0;
  let ambiguous = 0;
  for (const entry of run.items) {
    const match = index.find(entry.result);
    if (match === "ambiguous") ambiguous += 1;
    else if (match) found.set(match.candidate_id, entry);
    else outside += 1;
  }
  const notes: string[] = [];
  if (outside > 0) notes.push(`${outside} result(s) in ${run.dir} are for no item of the dataset: left out.`);
  if (ambiguous > 0) {
    notes.push(
      `${ambiguous} result(s) name an instance with several candidates and no matching candidate id: left out.`,
    );
  }
  let disagreements = 0;
  const items = dataset.map((data) => {
    const entry = found.get(data.candidate_id);
    if (entry && data.label !== null && entry.result.label !== null && entry.result.label !== data.label) {
      disagreements += 1;
    }
    return entry ? scoreItem(data, entry) : missingItem(data);
  });
  if (disagreements > 0) {
    notes.push(
      `${disagreements} result(s) carry a label that differs from the dataset's; the dataset's is used.`,
    );
  }
  return { items, notes };
}

/** A dataset item with no result. */
export function missingItem(data: DatasetItem): ScoreItem {
  return {
    ...datasetFields(data),
    key: data.candidate_id,
    label: data.label,
    status: "missing",
    decision: null,
    confidence: null,
    defects: [],
    links: [],
  };
}

function scoreItem(data: DatasetItem, entry: RunDirItem): ScoreItem {
  const { result, revision } = entry;
  const review = result.review;
  return {
    ...datasetFields(data),
    key: entry.key,
    label: data.label ?? result.label,
    status: result.status,
    decision: result.status === "done" ? (review?.decision ?? null) : null,
    confidence: review?.confidence ?? null,
    ...(review ? { mode: review.mode } : {}),
    defects: (review?.defects ?? []).map(({ severity, path, start_line, end_line }) => ({
      severity,
      path,
      start_line,
      end_line,
    })),
    ...(revision ? { revision: { resolved: revision.resolved } } : {}),
    usage: usageOf(result.usage),
    steps: result.steps,
    seconds: result.seconds,
    ...(result.loop ? { loop: result.loop } : {}),
    ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
    links: entry.links,
  };
}

function datasetFields(data: DatasetItem) {
  return {
    instance_id: data.instance_id,
    candidate_id: data.candidate_id,
    split: data.split,
    ...(data.candidate_patch !== undefined ? { candidate_patch: data.candidate_patch } : {}),
    ...(data.gold_patch !== undefined ? { gold_patch: data.gold_patch } : {}),
    ...(data.fail_to_pass !== undefined ? { fail_to_pass: data.fail_to_pass } : {}),
  };
}
