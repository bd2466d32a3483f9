import type { ScoreItem } from "../../src/bench/score/item.js";
import type { ScoredDecision } from "../../src/bench/score/released-decision.js";

/** A scored item for metric tests: `item("a", true, "approve")` is a reviewed candidate that resolves its issue. */
export function item(
  id: string,
  label: boolean | null,
  decision: ScoredDecision,
  extra: Partial<ScoreItem> = {},
): ScoreItem {
  return {
    key: id,
    instance_id: id,
    candidate_id: id,
    split: "split",
    label,
    status: "done",
    decision,
    confidence: null,
    defects: [],
    links: [],
    ...extra,
  };
}

/** A dataset item with no result at all. */
export function missing(id: string, label: boolean, extra: Partial<ScoreItem> = {}): ScoreItem {
  return item(id, label, null, { status: "missing", ...extra });
}

/** `n` items built by `make(index)`. */
export function times(n: number, make: (index: number) => ScoreItem): ScoreItem[] {
  return Array.from({ length: n }, (_, index) => make(index));
}
