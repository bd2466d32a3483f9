import { describe, expect, it } from "vitest";
import { item, missing } from "../../../test/helpers/score-items.js";
import { headline } from "./headline.js";

describe("headline", () => {
  it("reports what the released denominators would give when a missing review changes a figure", () => {
    const items = [item("a", true, "approve"), item("b", false, "request_changes"), missing("c", false)];
    const figures = headline(items, { decisions: "strict", revisions: true });
    expect(figures).toMatchObject({ CR: 66.7, DA: 100, DA_total_50: 83.3, missing: 1, items: 3 });
    expect(figures.convention).toEqual({ decisions: "strict", denominators: "dataset" });
    expect(figures.released_denominators).toMatchObject({
      convention: { decisions: "strict", denominators: "reviewed" },
      CR: 100,
      DA_total_50: 100,
      RRR: 50,
    });
    expect(figures.notes.join("\n")).toMatch(/1 item\(s\) have no review.*CR 100\.0, DA_total_50 100\.0/);
  });

  it("gives the strict figures beside released ones when a decision is neither approve nor request_changes", () => {
    const items = [item("a", true, "approve"), item("b", true, "other", { decision_text: "Approve" })];
    const figures = headline(items, { decisions: "released", revisions: false });
    expect(figures).toMatchObject({ DA: 50, FRR: 50, unknown_decisions: 1 });
    expect(figures.strict_decisions).toMatchObject({ DA: 100, CR: 50, DA_total_50: 75 });
    expect(figures.released_denominators).toBeUndefined();
    expect(figures.notes.join("\n")).toMatch(/"Approve".*counted as rejections, as the released code does/);
    expect(figures.RRR).toBeUndefined();
  });

  it("lists infrastructure failures and unlabelled items, and adds nothing when nothing differs", () => {
    const figures = headline(
      [item("a", true, "approve"), item("b", false, null, { status: "failed" }), item("c", null, "approve")],
      { decisions: "strict", revisions: false },
    );
    expect(figures).toMatchObject({ infra_fail: 1, unlabeled: 1, model_fail: 1, total: 2 });
    expect(figures.notes).toHaveLength(2);
    expect(headline([item("a", true, "approve")], { decisions: "strict", revisions: true }).notes).toEqual(
      [],
    );
  });
});
