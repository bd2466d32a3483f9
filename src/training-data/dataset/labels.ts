import { InputError } from "../../common/errors.js";
import { readRecords } from "../../data/records.js";
import { labelOf } from "./instance-files.js";
import { stringField } from "./sample.js";

/** Ground-truth labels by candidate id and by instance id (a candidate id wins when both match). */
export interface Labels {
  byCandidate: Map<string, boolean>;
  byInstance: Map<string, boolean>;
}

/**
 * Reads a labels file: JSON, JSONL or Parquet rows of `{instance_id or candidate_id, resolved}` (also accepted:
 * `candidate_resolved`, `patch_resolved`, `label`).
 */
export async function readLabels(path: string): Promise<Labels> {
  const labels: Labels = { byCandidate: new Map(), byInstance: new Map() };
  for (const { value, where } of await readRecords(path)) {
    const row = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
    const resolved = labelOf(row);
    const candidateId = stringField(row, "candidate_id", "candidateId");
    const instanceId = stringField(row, "instance_id", "instanceId");
    if (resolved === undefined || (!candidateId && !instanceId)) {
      throw new InputError(
        "labels_invalid",
        `${where} is not a label: each row needs instance_id or candidate_id, and resolved (true or false).`,
      );
    }
    if (candidateId) labels.byCandidate.set(candidateId, resolved);
    if (instanceId) labels.byInstance.set(instanceId, resolved);
  }
  return labels;
}

export function lookupLabel(
  labels: Labels,
  ids: { candidateId?: string | undefined; instanceId?: string | undefined },
): boolean | undefined {
  if (ids.candidateId !== undefined && labels.byCandidate.has(ids.candidateId))
    return labels.byCandidate.get(ids.candidateId);
  if (ids.instanceId !== undefined) return labels.byInstance.get(ids.instanceId);
  return undefined;
}
