import type { LoopRecord } from "../../loop/records.js";
import type { Usage } from "../../model/types.js";
import type { ScoredDecision } from "./released-decision.js";

/** A defect's location as the metrics read it. */
export interface DefectLocation {
  severity: string;
  path: string | null;
  start_line: number | null;
  end_line: number | null;
}

/**
 * One dataset item with what a run (or a reviews file) says about it: the single row every metric reads. Every item
 * of the dataset has one, reviewed or not, so that denominators are the dataset's.
 */
export interface ScoreItem {
  /** The run directory's folder name for the item, or the candidate id. */
  key: string;
  instance_id: string;
  candidate_id: string;
  split: string;
  /** Ground truth: does the candidate resolve the instance (candidate_resolved)? null: unknown. */
  label: boolean | null;
  /**
   * `done`: a result exists (a review without a verdict is done: a model failure); `failed`: an infrastructure error
   * left no result to score; `missing`: no result at all (never run, or dropped from a reviews file).
   */
  status: "done" | "failed" | "missing";
  decision: ScoredDecision;
  /** The decision as given, when it was neither approve nor request_changes (for display). */
  decision_text?: string;
  confidence: number | null;
  /** Review mode (agentic, single-turn-…), when the run recorded it. */
  mode?: string;
  defects: DefectLocation[];
  /** The RRR revision of a rejected candidate, when one was made; resolved null: its verification failed. */
  revision?: { resolved: boolean | null };
  usage?: Usage;
  steps?: number;
  seconds?: number;
  /** A `tts` item's loop record. */
  loop?: LoopRecord;
  /** Infrastructure error message of a failed item. */
  error?: string;
  /** Files in the run directory worth opening, relative to it (trajectory, report). */
  links: { label: string; href: string }[];
  /** For localisation and difficulty. */
  candidate_patch?: string;
  gold_patch?: string;
  fail_to_pass?: number;
}

/** Tokens of a usage record: prompt plus completion. */
export function usageTokens(usage: Pick<Usage, "promptTokens" | "completionTokens">): number {
  return usage.promptTokens + usage.completionTokens;
}
