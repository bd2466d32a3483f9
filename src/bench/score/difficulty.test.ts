import { describe, expect, it } from "vitest";
import { diffOf } from "../../../test/helpers/patches.js";
import { item } from "../../../test/helpers/score-items.js";
import { difficultyFigures, difficultyTertiles, fileDivergence } from "./difficulty.js";

const gold = diffOf(["a.py"]);
const scored = (id: string, files: string[], failToPass: number, correct: boolean) =>
  item(id, true, correct ? "approve" : "request_changes", {
    candidate_patch: diffOf(files),
    gold_patch: gold,
    fail_to_pass: failToPass,
  });

// Divergence ranks: 0, 0 → 1/12; 0.5, 0.5 → 5/12; 1, 1 → 9/12. FAIL_TO_PASS ranks: 1, 1 → 1/12; 2 → 4/12;
// 3 → 6/12; 5 → 8/12; 8 → 10/12. Means: i1 .083, i2 .208, i3 .25, i4 .542, i5 .625, i6 .792.
const items = [
  scored("i6", ["b.py"], 8, false),
  scored("i1", ["a.py"], 1, true),
  scored("i4", ["a.py", "b.py"], 5, false),
  scored("i2", ["a.py"], 2, true),
  scored("i5", ["b.py"], 3, false),
  scored("i3", ["a.py", "b.py"], 1, true),
  item("i7", true, "approve"),
];

describe("difficulty tertiles (reference §12.3 criterion)", () => {
  it("measures file-level divergence as 1 − Jaccard of the files touched", () => {
    expect(fileDivergence(diffOf(["a.py"]), gold)).toBe(0);
    expect(fileDivergence(diffOf(["a.py", "b.py"]), gold)).toBe(0.5);
    expect(fileDivergence(diffOf(["b.py"]), gold)).toBe(1);
    expect(fileDivergence("", gold)).toBe(1);
  });

  it("cuts the items into three by the mean rank of divergence and FAIL_TO_PASS count", () => {
    expect(Object.fromEntries(difficultyTertiles(items))).toEqual({
      i1: "easy",
      i2: "easy",
      i3: "medium",
      i4: "medium",
      i5: "hard",
      i6: "hard",
    });
    const figures = difficultyFigures(items, { decisions: "strict", denominators: "dataset" }, false);
    expect(figures).toMatchObject({ assigned: 6, unassigned: 1 });
    expect(figures?.tertiles.map((tertile) => [tertile.tertile, tertile.items, tertile.DA])).toEqual([
      ["easy", 2, 100],
      ["medium", 2, 50],
      ["hard", 2, 0],
    ]);
    expect(figures?.tertiles[1]).toMatchObject({ mean_divergence: 0.5, mean_fail_to_pass: 3 });
  });
});
