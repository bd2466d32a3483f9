import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBenchFixture } from "../helpers/bench-fixture.js";
import { runCli } from "../helpers/cli.js";

function workspace() {
  const root = mkdtempSync(join(tmpdir(), "swe-review-bench-score-"));
  const home = join(root, "home");
  mkdirSync(home);
  return { root, ...writeBenchFixture(root), env: { PATH: process.env.PATH ?? "", HOME: home } };
}

describe("swe-review bench score", () => {
  it("prints the summary as JSON, writes it to --output, and writes summary.json and report.html into the run directory", async () => {
    const { root, split, instances, runDir, env } = workspace();
    const output = join(root, "out", "summary.json");
    const run = await runCli(
      [
        "bench",
        "score",
        "--dataset",
        split,
        "--run-dir",
        runDir,
        "--instances",
        instances,
        "--json",
        "--output",
        output,
      ],
      { env },
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      CR: 62.5,
      DA: 60,
      DA_total_50: 56.2,
      FAR: 33.3,
      FRR: 50,
      RRR: 50,
      delta: 12.5,
    });
    expect(summary).toMatchObject({ TP: 1, FP: 1, TN: 2, FN: 1, total: 8, produced: 5, model_fail: 3 });
    expect(summary).toMatchObject({ approved: 2, revised: 3, fallback: 4, baseline_RR: 37.5 });
    expect(JSON.parse(readFileSync(output, "utf8"))).toEqual(summary);
    expect(JSON.parse(readFileSync(join(runDir, "summary.json"), "utf8"))).toEqual(summary);
    const report = readFileSync(join(runDir, "report.html"), "utf8");
    expect(report).toContain("<!doctype html>");
    expect(report).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    expect(run.stderr).toMatch(/"msg":"wrote report"/);
  });

  it("prints a table by default, with the released denominators' figures in the notes; --no-report writes nothing", async () => {
    const { split, runDir, env } = workspace();
    const run = await runCli(["bench", "score", "--dataset", split, "--run-dir", runDir, "--no-report"], {
      env,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /glm5_500\s+8\s+62\.5\s+60\.0\s+56\.2\s+33\.3\s+50\.0\s+1\s+1\s+2\s+1\s+3\s+50\.0\s+\+12\.5/,
    );
    expect(run.stdout).toContain("98.9/69.9/75.0");
    expect(run.stdout).toMatch(
      /released code drops them .* CR 71\.4, DA_total_50 57\.1, RRR 57\.1, delta 19\.6/,
    );
    expect(existsSync(join(runDir, "report.html"))).toBe(false);
    expect(existsSync(join(runDir, "summary.json"))).toBe(false);
  });

  it("takes the dataset from run.json when --dataset is not given", async () => {
    const { split, runDir, env } = workspace();
    const manifestFile = join(runDir, "run.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const missing = await runCli(["bench", "score", "--run-dir", runDir, "--no-report"], { env });
    expect(missing.code).toBe(3); // run.json names "dataset", which does not exist
    expect(missing.stderr).toMatch(/Data file dataset does not exist/);
    writeFileSync(
      manifestFile,
      JSON.stringify({ ...manifest, dataset: { ...manifest.dataset, path: split } }),
    );
    const run = await runCli(["bench", "score", "--run-dir", runDir, "--json", "--no-report"], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      total: 8,
      DA_total_50: 56.2,
      source: { datasets: [split] },
    });
  });

  it("exits 3 with a message naming the fix for bad input", async () => {
    const { split, runDir, env } = workspace();
    const neither = await runCli(["bench", "score", "--dataset", split], { env });
    expect(neither.code).toBe(3);
    expect(neither.stderr).toMatch(/exactly one of --run-dir <dir> and --reviews <file>/);
    const both = await runCli(
      ["bench", "score", "--dataset", split, "--run-dir", runDir, "--reviews", "x.json"],
      {
        env,
      },
    );
    expect(both.code).toBe(3);
    const reviews = join(runDir, "..", "reviews.jsonl");
    writeFileSync(reviews, "");
    const noDataset = await runCli(["bench", "score", "--reviews", reviews], { env });
    expect(noDataset.code).toBe(3);
    expect(noDataset.stderr).toMatch(/--reviews needs --dataset/);
  });
});
