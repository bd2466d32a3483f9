import { LARGE_PATCH_BYTES } from "../../review/patch-check.js";
import type { AgentStatus } from "../../trajectory/schema.js";
import type { TrajSample } from "../dataset/sample.js";
import type { DropReason, ExportStats } from "./stats.js";

export const KEEP_DECISIONS = ["correct", "incorrect", "all"] as const;
export type KeepDecisions = (typeof KEEP_DECISIONS)[number];

/** Which trajectories become training examples. */
export interface SampleFilters {
  /** Agent end statuses to keep; undefined keeps any. Default: finished only. */
  statuses?: readonly AgentStatus[];
  /** Which verdicts to keep against the label; anything but `all` needs labels. */
  keep: KeepDecisions;
  /** Candidate patches larger than this are left out (the paper drops empty and > 50 KB patches). */
  maxPatchBytes: number;
}

/** The published data's cut: the same bound past which a review warns about a large patch. */
export const DEFAULT_MAX_PATCH_BYTES = LARGE_PATCH_BYTES;

/**
 * Applies the filters that need no rendering, in order (status, decision, label, patch), recording the decision
 * confusion of every labelled verdict. Returns why the sample is dropped, or undefined to keep it.
 */
export function filterSample(
  sample: TrajSample,
  filters: SampleFilters,
  stats: ExportStats,
): DropReason | undefined {
  if (sample.decision !== null && sample.resolved !== undefined)
    stats.verdict(sample.decision, sample.resolved);
  if (filters.statuses && !filters.statuses.includes(sample.status ?? ("unknown" as AgentStatus))) {
    return `status_${sample.status ?? "unknown"}`;
  }
  if (sample.decision === null) return "no_decision";
  if (filters.keep !== "all") {
    if (sample.resolved === undefined) return "unlabeled";
    const correct = (sample.decision === "approve") === sample.resolved;
    if (filters.keep === "correct" && !correct) return "decision_incorrect";
    if (filters.keep === "incorrect" && correct) return "decision_correct";
  }
  if (sample.patch === undefined) {
    stats.patchUnknown++;
  } else {
    if (sample.patch.trim() === "") return "empty_patch";
    if (Buffer.byteLength(sample.patch, "utf8") > filters.maxPatchBytes) return "oversized_patch";
  }
  return undefined;
}
