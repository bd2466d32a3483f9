import { existsSync, statSync } from "node:fs";
import { InputError } from "../common/errors.js";
import { type Candidate, CandidateSchema, candidateFromPrediction, PredictionSchema } from "./candidate.js";
import type { Instance } from "./instance.js";
import {
  instanceFromMultiSweBench,
  looksLikeMultiSweBench,
  MultiSweBenchRowSchema,
} from "./multi-swe-bench.js";
import { parseRecord, readRecords, withInstanceIdFromKey } from "./records.js";
import { instanceFromSweBench, SweBenchRowSchema } from "./swe-bench.js";
import { loadSweReviewBench } from "./swe-review-bench.js";

/**
 * The instances of a dataset file (JSONL, JSON or Parquet): SWE-bench rows, Multi-SWE-bench rows (told apart row
 * by row), or SWE-Review-Bench hub rows; or a SWE-Review-Bench split folder (its `instances.json`).
 */
export async function loadInstances(path: string): Promise<Instance[]> {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const bench = await loadSweReviewBench(path);
    const instances = bench.entries.flatMap((entry) => (entry.instance ? [entry.instance] : []));
    if (instances.length === 0) {
      throw new InputError(
        "data_file_missing",
        `${path} has no instances.json entries to read instances from.`,
      );
    }
    return instances;
  }
  const instances = (await readRecords(path)).map((record) =>
    looksLikeMultiSweBench(record.value)
      ? instanceFromMultiSweBench(parseRecord(MultiSweBenchRowSchema, record, "a Multi-SWE-bench instance"))
      : instanceFromSweBench(
          parseRecord(SweBenchRowSchema, withInstanceIdFromKey(record), "a SWE-bench instance"),
        ),
  );
  rejectDuplicates(
    instances.map((instance) => instance.instance_id),
    path,
    "instance",
  );
  return instances;
}

/**
 * Candidates from a JSONL (or JSON, Parquet) file whose rows are candidates (`{candidate_id, instance_id,
 * model_patch, …}`) or SWE-bench predictions (`{instance_id, model_name_or_path, model_patch}`, named
 * `<instance_id>@<model_name_or_path>`).
 */
export async function loadCandidates(path: string): Promise<Candidate[]> {
  const candidates = (await readRecords(path)).map((record) => {
    const value = record.value as Record<string, unknown> | null;
    if (value && typeof value === "object" && "candidate_id" in value) {
      return parseRecord(CandidateSchema, record, "a candidate ({candidate_id, instance_id, model_patch})");
    }
    if (value && typeof value === "object" && "model_name_or_path" in value) {
      return candidateFromPrediction(
        parseRecord(
          PredictionSchema,
          record,
          "a prediction ({instance_id, model_name_or_path, model_patch})",
        ),
      );
    }
    throw new InputError(
      "data_row_invalid",
      `${record.where} is neither a candidate ({candidate_id, instance_id, model_patch, pr_title?, pr_body?, ` +
        "source?, resolved?}) nor a SWE-bench prediction ({instance_id, model_name_or_path, model_patch}).",
    );
  });
  rejectDuplicates(
    candidates.map((candidate) => candidate.candidate_id),
    path,
    "candidate",
  );
  return candidates;
}

/** The instance called `id`, or an error naming the file and a few ids it does have. */
export function findInstance(instances: readonly Instance[], id: string, path: string): Instance {
  const instance = instances.find((item) => item.instance_id === id);
  if (instance) return instance;
  const sample = instances
    .slice(0, 3)
    .map((item) => item.instance_id)
    .join(", ");
  throw new InputError(
    "instance_not_found",
    `Instance ${id} is not in ${path} (${instances.length} instances${sample ? `, e.g. ${sample}` : ""}).`,
  );
}

function rejectDuplicates(ids: string[], path: string, what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new InputError("data_duplicate", `${path} has ${what} ${id} more than once; ids must be unique.`);
    }
    seen.add(id);
  }
}
