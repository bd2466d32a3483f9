import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeJsonAtomic, writeTextAtomic } from "../common/atomic-write.js";
import { renderReport } from "./report/render-report.js";
import { type ScoredBench, type ScoreRunDirOptions, scoreRunDir } from "./score-bench.js";

/** Where to write a score's files; a file left out is not written. */
export interface ScoreFiles {
  /** Where to write the summary JSON. */
  summary?: string;
  /** Where to write the HTML report (its links are relative to its folder). */
  report?: string;
}

/** Writes a scored benchmark's summary and report, each atomically. */
export function writeScoreFiles(scored: ScoredBench, files: ScoreFiles): void {
  if (files.summary) {
    mkdirSync(dirname(files.summary), { recursive: true });
    writeJsonAtomic(files.summary, scored.summary);
  }
  if (files.report) {
    mkdirSync(dirname(files.report), { recursive: true });
    writeTextAtomic(files.report, renderReport(scored.summary, scored.items));
  }
}

/**
 * Scores a run directory and writes `summary.json` and `report.html` into it: what `swe-review bench score
 * --run-dir` does, and what a runner calls when a run ends (or to refresh them part way through).
 */
export async function writeRunScore(
  options: ScoreRunDirOptions,
): Promise<ScoredBench & { summaryPath: string; reportPath: string }> {
  const scored = await scoreRunDir(options);
  const summaryPath = join(options.runDir, "summary.json");
  const reportPath = join(options.runDir, "report.html");
  writeScoreFiles(scored, { summary: summaryPath, report: reportPath });
  return { ...scored, summaryPath, reportPath };
}
