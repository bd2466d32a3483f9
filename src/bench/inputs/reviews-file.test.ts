import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreReviewsFile } from "../score-bench.js";
import { releasedDeduplicate } from "./reviews-file.js";

/**
 * The released single-turn output scored as the released code scores it. Nine instances of a split:
 *
 * | id | resolves | row(s) in the file                                        | released reading         |
 * |----|----------|-----------------------------------------------------------|--------------------------|
 * | i1 | yes      | decision {recommendation: approve}                        | approve → TP             |
 * | i2 | no       | decision "request_changes", later decision "approve"      | later wins → approve, FP |
 * | i3 | no       | decision "Approve" (not the exact string)                 | rejection → TN           |
 * | i4 | yes      | decision "reject"                                         | rejection → FN           |
 * | i5 | no       | report null                                               | model failure            |
 * | i6 | yes      | top-level recommendation "approve" only                   | model failure            |
 * | i7 | no       | (no row: the trial is missing)                            | dropped by the released code |
 * | i8 | yes      | decision "approve", later a row with no report            | the report wins → TP     |
 * | i9 | no       | decision {recommendation: request_changes}, revised ✓     | TN                       |
 * plus a row for an instance outside the split (ignored).
 */
const LABELS = {
  i1: true,
  i2: false,
  i3: false,
  i4: true,
  i5: false,
  i6: true,
  i7: false,
  i8: true,
  i9: false,
};
const ROWS = [
  { instance_id: "i1", report: { decision: { recommendation: "approve", confidence: 0.9 } } },
  { instance_id: "i2", report: { decision: "request_changes" } },
  { instance_id: "i3", report: { decision: "Approve" } },
  { instance_id: "i4", report: { decision: "reject" } },
  { instance_id: "i5", report: null },
  { instance_id: "i6", report: { recommendation: "approve" } },
  { instance_id: "i8", report: { decision: "approve" } },
  { instance_id: "i9", report: { decision: { recommendation: "request_changes" } } },
  { instance_id: "i2", report: { decision: "approve" } },
  { instance_id: "i8" },
  { instance_id: "elsewhere", report: { decision: "approve" } },
];

function files(format: "jsonl" | "json") {
  const root = mkdtempSync(join(tmpdir(), "swe-review-reviews-"));
  const split = join(root, "qwen3_30b_instruct2507_500");
  mkdirSync(split);
  const entries = Object.entries(LABELS).map(([id, resolved]) => [id, { model_patch: "diff", resolved }]);
  writeFileSync(
    join(split, "patches_filtered.json"),
    JSON.stringify({ instances: Object.fromEntries(entries) }),
  );
  const reviews = join(root, `review_results.${format}`);
  writeFileSync(
    reviews,
    format === "json" ? JSON.stringify(ROWS) : ROWS.map((row) => JSON.stringify(row)).join("\n"),
  );
  const revisions = join(root, "revisions.jsonl");
  writeFileSync(
    revisions,
    [
      { instance_id: "i9", resolved: true },
      { instance_id: "i3", resolved: true }, // "Approve" is not request_changes: the revision is not used
      { instance_id: "i4", resolved: false },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n"),
  );
  return { split, reviews, revisions };
}

describe("scoring a released reviews file", () => {
  it("reproduces the released DA and RRR, and says what counting every instance changes", async () => {
    const { split, reviews, revisions } = files("jsonl");
    const { summary } = await scoreReviewsFile({ reviews, revisions, dataset: { paths: [split] } });
    expect(summary).toMatchObject({
      convention: { decisions: "released", denominators: "dataset" },
      // TP i1 i8, FP i2, TN i3 i9, FN i4; failures i5 i6 i7
      TP: 2,
      FP: 1,
      TN: 2,
      FN: 1,
      total: 9,
      produced: 6,
      model_fail: 3,
      DA: 66.7, // 4 / 6
      DA_total_50: 61.1, // 5.5 / 9
      CR: 66.7,
      FAR: 33.3,
      FRR: 33.3,
      // approved i1 ✓ i2 ✗ i8 ✓; revised i9 ✓; fallback i3 ✗ i4 ✓ i5 ✗ i6 ✓ i7 ✗
      RRR: 55.6,
      baseline_RR: 44.4,
      delta: 11.1,
      approved: 3,
      approved_resolved: 2,
      revised: 1,
      revised_resolved: 1,
      fallback: 5,
      fallback_resolved: 2,
      missing: 1,
      unknown_decisions: 2,
    });
    // The released code itself: i7 dropped from every denominator but the baseline.
    expect(summary.released_denominators).toMatchObject({
      convention: { decisions: "released", denominators: "reviewed" },
      total: 8,
      DA: 66.7,
      DA_total_50: 62.5,
      CR: 75,
      RRR: 62.5,
      delta: 18.1,
    });
    // Ours (§14.6 fixed): "Approve" and "reject" are model failures.
    expect(summary.strict_decisions).toMatchObject({ DA: 75, DA_total_50: 61.1, CR: 44.4, FAR: 50, FRR: 0 });
    const notes = summary.notes?.join("\n") ?? "";
    expect(notes).toMatch(/2 duplicate row\(s\)/);
    expect(notes).toMatch(/1 row\(s\) of .* are for no instance of the dataset/);
    expect(notes).toMatch(/"Approve", "reject"/);
    expect(summary.splits.qwen3_30b_instruct2507_500?.DA).toBe(66.7);
  });

  it("reads a JSON array the same as JSONL", async () => {
    const jsonl = files("jsonl");
    const json = files("json");
    const a = await scoreReviewsFile({ reviews: jsonl.reviews, dataset: { paths: [jsonl.split] } });
    const b = await scoreReviewsFile({ reviews: json.reviews, dataset: { paths: [json.split] } });
    expect({ ...b.summary, scored_at: "", source: {} }).toEqual({
      ...a.summary,
      scored_at: "",
      source: {},
      notes: a.summary.notes?.map((note) => note.replace(jsonl.reviews, json.reviews)),
    });
    expect(a.summary.RRR).toBeUndefined();
  });

  it("deduplicates as the released loader does: a report beats none, else the later row", () => {
    const rows = [
      { instance_id: "a", report: null },
      { instance_id: "b", report: { decision: "approve" } },
      { instance_id: "a", report: { decision: "approve" } },
      { instance_id: "b", report: null },
      { instance_id: "a", report: { decision: "request_changes" } },
    ];
    expect(releasedDeduplicate(rows)).toEqual({
      rows: [
        { instance_id: "b", report: { decision: "approve" } },
        { instance_id: "a", report: { decision: "request_changes" } },
      ],
      duplicates: 3,
    });
  });
});
