import { describe, expect, it } from "vitest";
import { diffOf } from "../../../test/helpers/patches.js";
import { item } from "../../../test/helpers/score-items.js";
import { itemLocalisation, localisationFigures } from "./localisation.js";
import { normalizePatchPath, patchFootprint } from "./patch-footprint.js";

const gold = diffOf(["pkg/mod.py"], 10); // hunk lines 10–12 on both sides
const defect = (path: string | null, start: number | null, end: number | null = start) => ({
  severity: "high",
  path,
  start_line: start,
  end_line: end,
});

describe("localisation", () => {
  it("reads the files and hunk ranges a diff touches, and normalises the reviewer's paths", () => {
    expect([...(patchFootprint(gold)?.entries() ?? [])]).toEqual([
      [
        "pkg/mod.py",
        [
          [10, 12],
          [10, 12],
        ],
      ],
    ]);
    expect(patchFootprint("not a diff")).toBeUndefined();
    expect(normalizePatchPath("/testbed/pkg/mod.py")).toBe("pkg/mod.py");
    expect(normalizePatchPath("./pkg/mod.py")).toBe("pkg/mod.py");
    expect(normalizePatchPath("b/pkg/mod.py")).toBe("pkg/mod.py");
    expect(normalizePatchPath("/dev/null")).toBeUndefined();
  });

  it("counts file hits, line hits and defect precision over reviews with located defects", () => {
    const items = [
      item("x", false, "request_changes", {
        gold_patch: gold,
        defects: [defect("/testbed/pkg/mod.py", 12, 14)],
      }),
      item("y", true, "request_changes", {
        gold_patch: gold,
        defects: [defect("pkg/mod.py", 40, 45), defect("pkg/other.py", 1)],
      }),
      item("z", false, "request_changes", { gold_patch: gold, defects: [defect("pkg/other.py", 1, 2)] }),
      item("w", false, "request_changes", { gold_patch: gold, defects: [defect(null, null)] }),
      item("v", false, "request_changes", { defects: [defect("pkg/mod.py", 10)] }),
    ];
    expect(itemLocalisation(items[0] ?? item("?", null, null))).toEqual({
      file_hit: true,
      line_hit: true,
      defects: 1,
      defects_in_gold_files: 1,
    });
    expect(localisationFigures(items, { decisions: "strict", denominators: "dataset" })).toEqual({
      reviews: 3, // w has no located defect, v no gold patch
      file_hit_rate: 66.7,
      line_hit_rate: 33.3,
      defects: 4,
      defect_file_precision: 50,
      correct_rejections: { reviews: 2, file_hit_rate: 50, line_hit_rate: 50 }, // x and z
    });
  });
});
