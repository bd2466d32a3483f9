import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreRunDir } from "../../src/bench/score-bench.js";
import { runCli } from "../helpers/cli.js";
import { manifest, result, review, writeRunDir } from "../helpers/run-dir.js";
import { missingSharedData, sharedDataDir } from "../helpers/shared-data.js";
import { skipTitle } from "../helpers/skip.js";

const data = sharedDataDir();
const lite = data && join(data, "swe-bench-lite/instances.jsonl");
const candidates = data && join(data, "candidates/sympy-dev.jsonl");

interface CandidateRow {
  instance_id: string;
  candidate_id: string;
  source: string;
  model_patch: string;
  resolved: boolean;
}

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

const noData = missingSharedData("swe-bench-lite/instances.jsonl", "candidates/sympy-dev.jsonl");
describe.skipIf(noData)(skipTitle("bench score on real candidates (../shared/data)", noData), () => {
  it("scores 37 real sympy candidates split by the run that made them, with gold patches from SWE-bench Lite", async () => {
    const rows = readJsonl<CandidateRow>(candidates as string);
    const root = mkdtempSync(join(tmpdir(), "swe-review-real-score-"));
    // An approve-everything reviewer: the no-review baseline as a reviewer.
    const runDir = writeRunDir(
      join(root, "run"),
      manifest(),
      rows.map((row) => ({
        result: {
          ...result(row.candidate_id, row.resolved, { review: review("approve", 0.5) }),
          key: row.candidate_id.replace(/[^A-Za-z0-9._@-]+/g, "_"),
        },
      })),
    );
    const { summary } = await scoreRunDir({ runDir, dataset: { paths: [lite as string], candidates } });
    const resolved = rows.filter((row) => row.resolved).length;
    expect(resolved).toBe(33);
    // 33 TP, 4 FP: DA = 33/37 = 89.2, FAR 100, FRR 0
    expect(summary).toMatchObject({
      total: 37,
      TP: 33,
      FP: 4,
      TN: 0,
      FN: 0,
      DA: 89.2,
      DA_total_50: 89.2,
      FAR: 100,
      FRR: 0,
    });
    expect(Object.keys(summary.splits)).toHaveLength(10);
    expect(summary.splits["20240604_CodeR"]).toMatchObject({ total: 10, TP: 6, FP: 4, DA: 60 });
    // Real gold patches and FAIL_TO_PASS lists: every candidate gets a tertile.
    expect(summary.difficulty?.assigned).toBe(37);
    expect(summary.difficulty?.tertiles.map((tertile) => tertile.items)).toEqual([13, 12, 12]);
  });

  it("scores a released reviews file for one split: no reports at all reproduce the paper's no-review row", async () => {
    const root = mkdtempSync(join(tmpdir(), "swe-review-real-reviews-"));
    const instances = new Map(
      readJsonl<Record<string, unknown>>(lite as string).map((row) => [row.instance_id, row]),
    );
    const coder = readJsonl<CandidateRow>(candidates as string).filter(
      (row) => row.source === "20240604_CodeR",
    );
    // SWE-Review-Bench hub rows: the instance's fields plus the candidate and its label.
    const split = join(root, "coder_r.jsonl");
    writeFileSync(
      split,
      coder
        .map((row) =>
          JSON.stringify({
            ...instances.get(row.instance_id),
            model_patch: row.model_patch,
            resolved: row.resolved,
          }),
        )
        .join("\n"),
    );
    const home = join(root, "home");
    mkdirSync(home);
    const env = { PATH: process.env.PATH ?? "", HOME: home };
    const score = async (report: unknown) => {
      const reviews = join(root, "review_results.json");
      writeFileSync(reviews, JSON.stringify(coder.map((row) => ({ instance_id: row.instance_id, report }))));
      const revisions = join(root, "revisions.jsonl");
      writeFileSync(revisions, "");
      const run = await runCli(
        ["bench", "score", "--dataset", split, "--reviews", reviews, "--revisions", revisions, "--json"],
        { env },
      );
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout);
    };
    // No review: CR 0, DA_total_50 50.0, RRR = the baseline (6 of 10 resolve): the paper's "No review" row.
    expect(await score(null)).toMatchObject({
      CR: 0,
      DA: 0,
      DA_total_50: 50,
      RRR: 60,
      baseline_RR: 60,
      delta: 0,
    });
    // Approve everything: DA = the resolve rate, every unresolved candidate a false approval.
    expect(await score({ decision: "approve" })).toMatchObject({
      CR: 100,
      DA: 60,
      FAR: 100,
      FRR: 0,
      RRR: 60,
    });
    // Reject everything, no revisions made: all fall back to the original.
    expect(await score({ decision: { recommendation: "request_changes" } })).toMatchObject({
      DA: 40,
      FRR: 100,
      revised: 10,
      fallback: 10,
      RRR: 60,
    });
  });
});
