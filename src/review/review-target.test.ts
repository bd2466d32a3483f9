import { describe, expect, it } from "vitest";
import { leftOutWarning } from "./review-target.js";

describe("leftOutWarning", () => {
  it("says how many files were left out, and nothing about kept files when there are none", () => {
    expect(
      leftOutWarning({
        path: "out/",
        reason: "it holds swe-review's run marker .swe-review-run.json",
        files: ["out/.swe-review-run.json", "out/report.json"],
        kept: [],
      }),
    ).toBe(
      "out/ in the repository is a swe-review run folder (it holds swe-review's run marker .swe-review-run.json): 2 untracked file(s) at paths swe-review writes there are left out of the patch. Delete it or move it out of the repository (or git add it to have it reviewed).",
    );
  });

  it("says how many files in the folder were kept because swe-review does not write them, naming the first five", () => {
    const warning = leftOutWarning({
      path: "swe-review-runs/",
      reason: "named swe-review-runs",
      files: [],
      kept: ["a.py", "b.py", "c.py", "d.py", "e.py", "f.py", "g.py"].map((name) => `swe-review-runs/${name}`),
    });
    expect(warning).toContain(
      ": 0 untracked file(s) at paths swe-review writes there are left out of the patch; 7 other untracked file(s) in it are kept in the patch, as swe-review does not write them (swe-review-runs/a.py, swe-review-runs/b.py, swe-review-runs/c.py, swe-review-runs/d.py, swe-review-runs/e.py and 2 more). Delete it",
    );
  });
});
