import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeRecommendation, type Recommendation } from "../../review/report.js";
import { stringField } from "./sample.js";

/** What an instance folder of a run directory says about its trajectory, read tolerantly. */
export interface InstanceRecord {
  instanceId?: string;
  candidateId?: string;
  decision?: Recommendation;
  resolved?: boolean;
  patch?: string;
}

/**
 * Reads `result.json` (instance and candidate ids, decision, and the label as `resolved`, `label`,
 * `label.resolved`, `candidate_resolved` or `patch_resolved`) and the candidate's patch from `candidate.json`
 * (`model_patch` or `patch`) or `candidate.patch`. Missing or unreadable files give nothing: the benchmark that
 * writes them may be newer or older than this reader.
 */
export function readInstanceRecord(dir: string): InstanceRecord {
  const record: InstanceRecord = {};
  const result = readJsonObject(join(dir, "result.json"));
  if (result) {
    const instanceId = stringField(result, "instance_id", "instanceId");
    const candidateId = stringField(result, "candidate_id", "candidateId");
    if (instanceId) record.instanceId = instanceId;
    if (candidateId) record.candidateId = candidateId;
    const decision = result.decision;
    const recommendation = normalizeRecommendation(
      decision !== null && typeof decision === "object"
        ? (decision as Record<string, unknown>).recommendation
        : decision,
    );
    if (recommendation) record.decision = recommendation;
    const resolved = labelOf(result);
    if (resolved !== undefined) record.resolved = resolved;
  }
  const candidate = readJsonObject(join(dir, "candidate.json"));
  const patch = candidate ? stringField(candidate, "model_patch", "patch") : undefined;
  if (patch !== undefined) record.patch = patch;
  else if (existsSync(join(dir, "candidate.patch")))
    record.patch = readFileSync(join(dir, "candidate.patch"), "utf8");
  return record;
}

/** A resolved-label in any of the shapes the benchmark and datasets use. */
export function labelOf(row: Record<string, unknown>): boolean | undefined {
  for (const key of ["resolved", "candidate_resolved", "patch_resolved", "gt_resolved"]) {
    if (typeof row[key] === "boolean") return row[key];
  }
  const label = row.label;
  if (typeof label === "boolean") return label;
  if (label !== null && typeof label === "object") return labelOf(label as Record<string, unknown>);
  return undefined;
}

function readJsonObject(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
