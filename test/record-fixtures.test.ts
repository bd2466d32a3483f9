import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scoreRunDir } from "../src/bench/score-bench.js";
import { GenerationFileReadSchema } from "../src/generate/result-file.js";
import { readLoopRecord } from "../src/loop/run-loop.js";
import { ReviewOutcomeSchema } from "../src/review/outcome.js";
import { ReportFileReadSchema } from "../src/review/report-file.js";
import { readTrajectory } from "../src/trajectory/reader.js";

/**
 * Runs written by a release, read by this one (issue 19: records as contracts). `legacy/` is what the release before
 * versioned, snake_case records wrote; `current/` what this one writes. Both were made by
 * `scripts/make-record-fixtures.ts` with the built CLI and scripted models; a change that can no longer read either
 * fails here. Re-make `current/` when the format changes on purpose (and keep reading the old one); never `legacy/`.
 */
const FIXTURES = join(import.meta.dirname, "fixtures", "records");
const json = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

describe.each(["legacy", "current"])("a run written in the %s format", (format) => {
  const root = join(FIXTURES, format);
  const loop = join(root, "loop");

  it("loop.json reads back: the symptom fix rejected, the revision approved and submitted", () => {
    const record = readLoopRecord(loop);
    expect(record).toMatchObject({
      version: 1,
      strategy: "iterative",
      budget: 3,
      samples_spent: 2,
      reviewer_calls: 2,
      submitted: 2,
      outcome: "approved",
      tokens: { generator_usage: "reported" },
    });
    expect(
      record.samples.map((sample) => [sample.kind, sample.review?.decision, sample.patch_bytes]),
    ).toEqual([
      ["generation", "request_changes", 489],
      ["revision", "approve", 293],
    ]);
    expect(record.samples.map((sample) => sample.generation.usage_report?.source)).toEqual([
      "agent",
      "agent",
    ]);
    // The same figures in both formats: legacy's camelCase usage is read as this release's snake_case one.
    expect(record.tokens.reviewer).toEqual({
      prompt_tokens: 70855,
      completion_tokens: 1018,
      cached_tokens: 0,
      cost_usd: 0,
    });
    expect(record.tokens.generator.prompt_tokens).toBe(30472);
    expect(record.samples[0]?.review?.usage.prompt_tokens).toBe(35499);
    expect(readFileSync(join(loop, "final.patch"), "utf8")).toContain('"oz": 28.3495');
  });

  it("a generation's result.json reads back with its PR text and usage", () => {
    const revision = GenerationFileReadSchema.parse(json(join(loop, "rounds", "02-revision", "result.json")));
    expect(revision).toMatchObject({
      version: 1,
      kind: "revision",
      status: "finished",
      pr_title: "fix: support ounces",
      pr_source: "file",
      skipped_binary: [],
      usage: { prompt_tokens: 15512, completion_tokens: 161, cached_tokens: 0, cost_usd: 0 },
      usage_report: {
        source: "agent",
        input_tokens: 15512,
        output_tokens: 161,
        cache_read_tokens: 0,
        cache_write_tokens: null,
        cost_usd: 0,
      },
    });
    expect(revision.patch_path).toMatch(/02-revision\/candidate\.patch$/);
  });

  it("a review's report.json reads back with its verdict and the version that wrote it", () => {
    const report = ReportFileReadSchema.parse(json(join(loop, "rounds", "01-review", "report.json")));
    expect(report).toMatchObject({
      version: 1,
      decision: "request_changes",
      source: "report_file",
      mode: "agentic",
      model: { name: "SWE-Review-30B-A3B" },
      usage: { prompt_tokens: 35499, completion_tokens: 571 },
    });
    expect(report.swe_review).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.report?.defects[0]?.location?.path).toBe("inventory/units.py");
  });

  it("a review's trajectory reads back: header, steps, the final status and the report as its result", () => {
    const { events, truncated } = readTrajectory(join(loop, "rounds", "02-review", "trajectory.jsonl"));
    expect(truncated).toBe(false);
    expect(events[0]).toMatchObject({ type: "header", format: "swe-review-trajectory", role: "reviewer" });
    expect(events.filter((event) => event.type === "step")).toHaveLength(7);
    expect(events.find((event) => event.type === "final")).toMatchObject({ status: "finished", steps: 7 });
    const result = events.find((event) => event.type === "result");
    expect(ReviewOutcomeSchema.parse(result?.type === "result" ? result.result : undefined)).toMatchObject({
      decision: "approve",
      source: "report_file",
    });
  });

  it("bench score scores the bench run directory: the root-cause fix approved, the symptom fix rejected", async () => {
    const { summary, items } = await scoreRunDir({
      runDir: join(root, "bench"),
      dataset: { paths: [join(root, "bench-dataset", "fixture_split")] },
    });
    expect(summary).toMatchObject({
      source: { kind: "run-dir", run_kind: "review", reviewer: "SWE-Review-30B-A3B", mode: "agentic" },
      total: 2,
      produced: 2,
      TP: 1,
      TN: 1,
      FP: 0,
      FN: 0,
      CR: 100,
    });
    expect(items.map((item) => [item.instance_id, item.label, item.decision])).toEqual([
      ["demo__inventory-1", true, "approve"],
      ["demo__inventory-2", false, "request_changes"],
    ]);
    expect(items[0]?.usage?.promptTokens).toBe(14132);
  });
});
