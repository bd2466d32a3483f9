import { describe, expect, it } from "vitest";
import { item, missing } from "../../../test/helpers/score-items.js";
import { revisionFigures } from "./revision-metrics.js";

const items = [
  item("kept-good", true, "approve"),
  item("kept-bad", false, "approve"),
  item("fixed", false, "request_changes", { revision: { resolved: true } }),
  item("rewritten", true, "request_changes", { revision: { resolved: true } }),
  item("unrevised", true, "request_changes"),
  item("no-verdict", true, null),
  item("odd", false, "other", { decision_text: "LGTM" }),
  missing("never-reviewed", true),
  item("unverified", false, "request_changes", { revision: { resolved: null } }),
];

describe("revisionFigures (reference §6.3)", () => {
  it("keeps approvals, counts revisions, falls back for rejections without a revision and for model failures", () => {
    expect(revisionFigures(items, "dataset")).toEqual({
      // resolved: kept-good + fixed + rewritten + unrevised + no-verdict + never-reviewed = 6 of 9
      RRR: 66.7,
      // labels true: kept-good, rewritten, unrevised, no-verdict, never-reviewed = 5 of 9
      baseline_RR: 55.6,
      delta: 11.1,
      total: 9,
      total_resolved: 6,
      approved: 2,
      approved_resolved: 1,
      revised: 4, // fixed, rewritten, unrevised (a fallback too), unverified
      revised_resolved: 2,
      fallback: 4, // unrevised, no-verdict, odd, never-reviewed
      fallback_resolved: 3,
      revision_unverified: 1,
    });
  });

  it("with the released denominators drops the unreviewed item but keeps the baseline over every row", () => {
    const figures = revisionFigures(items, "reviewed");
    // 5 of 8 = 62.5; baseline 5 / 9; delta (0.625 − 0.5556)·100 = 6.94
    expect(figures).toMatchObject({ RRR: 62.5, baseline_RR: 55.6, delta: 6.9, total: 8, fallback: 3 });
  });
});
