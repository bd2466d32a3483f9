import {
  type Convention,
  type DecisionConvention,
  type DecisionFigures,
  decisionFigures,
} from "./decision-metrics.js";
import type { ScoreItem } from "./item.js";
import { type RevisionFigures, revisionFigures } from "./revision-metrics.js";

export type Figures = DecisionFigures &
  Partial<RevisionFigures> & {
    /** Which convention these figures use (see DecisionConvention and DenominatorRule). */
    convention: Convention;
  };

/** The paper's table for a set of items, in our convention, with the released variants beside it when they differ. */
export interface Headline extends Figures {
  /** Dataset items, labelled or not. */
  items: number;
  /** Items with no result: model failures here, dropped by the released code. */
  missing: number;
  /** Items whose run failed for an infrastructure reason (counted as model failures). */
  infra_fail: number;
  /** Items without a ground-truth label: left out of every figure. */
  unlabeled: number;
  /** Reviews whose decision was neither approve nor request_changes. */
  unknown_decisions: number;
  /** The same figures with the released denominators (only items with a result), when that changes a figure. */
  released_denominators?: Figures;
  /** The same figures with unknown decisions as model failures, when the main figures count them as rejections. */
  strict_decisions?: Figures;
  /** What differs from the released code's figures, and why, in sentences. */
  notes: string[];
}

const COMPARED = ["CR", "DA", "DA_total_50", "FAR", "FRR", "RRR", "delta"] as const;

/**
 * The headline figures of a set of items: every labelled dataset item in the denominators (an item without a
 * result is a model failure) and `decisions` for decisions other than approve/request_changes; with `revisions`,
 * RRR too.
 */
export function headline(
  items: readonly ScoreItem[],
  options: { decisions: DecisionConvention; revisions: boolean },
): Headline {
  const figures = (convention: Convention): Figures => ({
    convention,
    ...decisionFigures(items, convention),
    ...(options.revisions ? revisionFigures(items, convention.denominators) : {}),
  });
  const main = figures({ decisions: options.decisions, denominators: "dataset" });
  const labelled = items.filter((item) => item.label !== null);
  const missing = labelled.filter((item) => item.status === "missing").length;
  const infraFail = labelled.filter((item) => item.status === "failed").length;
  const unknown = labelled.filter((item) => item.decision === "other");
  const notes: string[] = [];
  const result: Headline = {
    ...main,
    items: items.length,
    missing,
    infra_fail: infraFail,
    unlabeled: items.length - labelled.length,
    unknown_decisions: unknown.length,
    notes,
  };
  if (result.unlabeled > 0) {
    notes.push(`${result.unlabeled} item(s) have no ground-truth label and are left out of every figure.`);
  }
  if (infraFail > 0) {
    notes.push(
      `${infraFail} item(s) failed for an infrastructure reason (see the per-item errors): counted as model failures; re-run to retry them.`,
    );
  }
  const released = figures({ decisions: options.decisions, denominators: "reviewed" });
  const releasedChanges = changedFigures(main, released);
  if (missing > 0) {
    notes.push(
      `${missing} item(s) have no review: counted here as model failures (and, for RRR, as kept unchanged). ` +
        (releasedChanges
          ? `The released code drops them from the denominators, which gives ${releasedChanges} (released_denominators).`
          : "The released code drops them from the denominators; no figure changes."),
    );
    if (releasedChanges) result.released_denominators = released;
  }
  if (unknown.length > 0) {
    const examples = [...new Set(unknown.map((item) => JSON.stringify(item.decision_text ?? "")))]
      .slice(0, 3)
      .join(", ");
    if (options.decisions === "released") {
      const strict = figures({ decisions: "strict", denominators: "dataset" });
      const strictChanges = changedFigures(main, strict);
      notes.push(
        `${unknown.length} review(s) decided something other than approve/request_changes (${examples}): counted as rejections, as the released code does` +
          (strictChanges ? `; as model failures they give ${strictChanges} (strict_decisions).` : "."),
      );
      if (strictChanges) result.strict_decisions = strict;
    } else {
      notes.push(
        `${unknown.length} review(s) decided something other than approve/request_changes (${examples}): counted as model failures (the released code counts them as rejections).`,
      );
    }
  }
  return result;
}

/** "CR 100.0, DA 71.2" for the figures of `other` that differ from `base`, or "" when none does. */
function changedFigures(base: Figures, other: Figures): string {
  return COMPARED.filter((key) => other[key] !== undefined && other[key] !== base[key])
    .map((key) => `${key} ${formatPercent(other[key] as number)}`)
    .join(", ");
}

export function formatPercent(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
