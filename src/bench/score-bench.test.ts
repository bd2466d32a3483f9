import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBenchFixture } from "../../test/helpers/bench-fixture.js";
import { scoreRunDir } from "./score-bench.js";

const fixture = () => writeBenchFixture(mkdtempSync(join(tmpdir(), "swe-review-score-")));

describe("scoreRunDir", () => {
  it("scores every dataset item, with infrastructure failures and missing items as model failures", async () => {
    const { split, instances, runDir } = fixture();
    const { summary, items } = await scoreRunDir({ runDir, dataset: { paths: [split], instances } });
    expect(summary).toMatchObject({
      convention: { decisions: "strict", denominators: "dataset" },
      source: { kind: "run-dir", run_kind: "review", reviewer: "GLM-5", mode: "agentic", run_id: "run-test" },
      CR: 62.5,
      DA: 60,
      DA_total_50: 56.2, // 4.5 / 8 = 56.25 exactly: Python rounds the tie to even
      FAR: 33.3,
      FRR: 50,
      TP: 1,
      FP: 1,
      TN: 2,
      FN: 1,
      total: 8,
      produced: 5,
      model_fail: 3,
      infra_fail: 1,
      missing: 1,
      RRR: 50,
      baseline_RR: 37.5,
      delta: 12.5,
      revised: 3,
      fallback: 4,
      fallback_resolved: 1,
    });
    expect(summary.released_denominators).toMatchObject({
      CR: 71.4,
      DA_total_50: 57.1,
      RRR: 57.1,
      delta: 19.6,
    });
    expect(summary.splits.glm5_500?.paper).toMatchObject({ CR: 98.9, DA: 69.9, RRR: 75, reviewer: "GLM-5" });
    expect(summary.localisation).toMatchObject({ reviews: 2, file_hit_rate: 50, line_hit_rate: 50 });
    expect(summary.difficulty?.assigned).toBe(8);
    expect(items.find((item) => item.candidate_id.startsWith("repo__c6"))?.error).toMatch(/sandbox_failed/);
    expect(
      items.find((item) => item.candidate_id.startsWith("repo__c1"))?.links.map((link) => link.label),
    ).toEqual(["trajectory", "report", "result"]);
  });

  it("takes revision outcomes from --revisions over the run directory's", async () => {
    const { split, runDir } = fixture();
    const revisions = join(runDir, "..", "revisions.jsonl");
    writeFileSync(revisions, `${JSON.stringify({ instance_id: "repo__c4", resolved: false })}\n`);
    const { summary } = await scoreRunDir({ runDir, dataset: { paths: [split] }, revisions });
    // c4's revision no longer resolves: c1, c3, c6 of 8
    expect(summary).toMatchObject({ RRR: 37.5, revised_resolved: 1, source: { revisions } });
  });

  it("scores a run made over some instances (--instances) over those only, with its run.json's dataset", async () => {
    const { split, runDir } = fixture();
    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    run.dataset.path = split;
    run.settings.spec = {
      kind: "review",
      dataset: { path: split, instances: ["repo__c1", "repo__c2"] },
      mode: "agentic",
      reviewer: {},
      repoOverrides: [],
      attempts: 1,
    };
    writeFileSync(join(runDir, "run.json"), JSON.stringify(run));
    const { summary } = await scoreRunDir({ runDir });
    // c1 approved and resolves (TP), c2 approved and does not (FP); the other six are not part of this run
    expect(summary).toMatchObject({ total: 2, produced: 2, TP: 1, FP: 1, model_fail: 0 });
  });

  it("refuses a result.json that is not a result record, naming it", async () => {
    const { split, runDir } = fixture();
    writeFileSync(join(runDir, "instances", "repo__c1@glm5_500", "result.json"), '{"status": "done"}');
    await expect(scoreRunDir({ runDir, dataset: { paths: [split] } })).rejects.toThrow(
      /repo__c1@glm5_500\/result\.json is not an item result .*delete it to re-run that item/,
    );
  });
});
