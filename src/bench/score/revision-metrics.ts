import { countedItems, type DenominatorRule } from "./decision-metrics.js";
import type { ScoreItem } from "./item.js";
import { pythonRound, releasedPercent } from "./python-round.js";

export interface RevisionFigures {
  /** Percentages ×100, one decimal (Python rounding); delta from the unrounded rates, as released. */
  RRR: number;
  baseline_RR: number;
  delta: number;
  total: number;
  total_resolved: number;
  approved: number;
  approved_resolved: number;
  /** Rejections (request_changes), including those that fell back for want of a revision. */
  revised: number;
  revised_resolved: number;
  fallback: number;
  fallback_resolved: number;
  /** Revisions whose verification failed to run: counted as not resolved (the released code reads no reward as 0). */
  revision_unverified: number;
}

/**
 * Resolve Rate after Revision with the released protocol (reference §6.3): an approved candidate is kept (resolved
 * iff its label); a `request_changes` candidate counts its revision's result, or falls back to the original when
 * there is no revision; anything else (no verdict, an unknown decision) falls back to the original. The baseline is
 * the resolve rate of every labelled dataset item, whatever the denominator rule.
 */
export function revisionFigures(items: readonly ScoreItem[], denominators: DenominatorRule): RevisionFigures {
  const figures = {
    approved: 0,
    approved_resolved: 0,
    revised: 0,
    revised_resolved: 0,
    fallback: 0,
    fallback_resolved: 0,
    revision_unverified: 0,
  };
  const counted = countedItems(items, denominators);
  for (const item of counted) {
    if (item.decision === "approve") {
      figures.approved += 1;
      if (item.label) figures.approved_resolved += 1;
    } else if (item.decision === "request_changes" && item.revision) {
      figures.revised += 1;
      if (item.revision.resolved) figures.revised_resolved += 1;
      if (item.revision.resolved === null) figures.revision_unverified += 1;
    } else {
      if (item.decision === "request_changes") figures.revised += 1;
      figures.fallback += 1;
      if (item.label) figures.fallback_resolved += 1;
    }
  }
  const total = counted.length;
  const totalResolved = figures.approved_resolved + figures.revised_resolved + figures.fallback_resolved;
  const labelled = countedItems(items, "dataset");
  const baselineResolved = labelled.filter((item) => item.label).length;
  const rrr = total > 0 ? totalResolved / total : 0;
  const baseline = labelled.length > 0 ? baselineResolved / labelled.length : 0;
  return {
    RRR: releasedPercent(totalResolved, total),
    baseline_RR: releasedPercent(baselineResolved, labelled.length),
    delta: pythonRound((rrr - baseline) * 100, 1),
    total,
    total_resolved: totalResolved,
    ...figures,
  };
}
