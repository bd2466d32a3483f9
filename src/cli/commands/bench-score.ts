import { join } from "node:path";
import type { Command } from "commander";
import { renderScoreTable } from "../../bench/score/render-table.js";
import { type ScoredBench, scoreReviewsFile, scoreRunDir } from "../../bench/score-bench.js";
import { writeScoreFiles } from "../../bench/write-run-score.js";
import { InputError } from "../../common/errors.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { collect } from "../option-parsers.js";
import { pathOption } from "../path-options.js";

interface ScoreOptions {
  dataset?: string[];
  runDir?: string;
  reviews?: string;
  revisions?: string;
  candidates?: string;
  instances?: string;
  split?: string;
  reviewer?: string;
  json?: boolean;
  output?: string;
  report?: string | false;
}

/** `swe-review bench score`: the paper's table (and more) from a run directory or a released reviews file. */
export function registerBenchScoreCommand(bench: Command): void {
  bench
    .command("score")
    .description(
      "score reviews against the dataset's labels: CR, DA, DA_total_50 (the paper's DA), FAR, FRR and, with revisions, " +
        "RRR; per split and overall, with TTS curves, localisation, difficulty, tokens and calibration. Prints a table " +
        "(or --json); with --run-dir also writes summary.json and report.html into it",
    )
    .addOption(
      pathOption(
        "--dataset <path>",
        "SWE-Review-Bench split folder or hub rows, or SWE-bench instances (with --candidates); repeat for several splits " +
          "(default with --run-dir: the dataset run.json names)",
        "file-or-folder",
      ).argParser(collect),
    )
    .addOption(pathOption("--run-dir <dir>", "a run directory made by swe-review bench", "folder"))
    .addOption(
      pathOption(
        "--reviews <file>",
        "the released single-turn output: [{instance_id, report}] as JSON or JSONL",
        "file",
      ),
    )
    .addOption(
      pathOption(
        "--revisions <file>",
        "revision outcomes {instance_id, resolved} (JSONL or JSON) for RRR",
        "file",
      ),
    )
    .addOption(
      pathOption("--candidates <file>", "candidates for the instances of a SWE-bench --dataset", "file"),
    )
    .addOption(
      pathOption(
        "--instances <file>",
        "SWE-bench instances giving gold patches and FAIL_TO_PASS (localisation, difficulty)",
        "file-or-folder",
      ),
    )
    .option("--split <name>", "the split's name (default: the dataset folder's or file's name)")
    .option(
      "--reviewer <model>",
      "the reviewer's model name, to show the paper's figures (default: from run.json)",
    )
    .option("--json", "print the summary as one JSON object instead of a table")
    .addOption(pathOption("--output <file>", "also write the summary JSON to this file", "output-file"))
    .addOption(
      pathOption(
        "--report <file>",
        "write the HTML report here (default with --run-dir: <run-dir>/report.html)",
        "output-file",
      ),
    )
    .option("--no-report", "with --run-dir: write neither report.html nor summary.json into it")
    .action(async (options: ScoreOptions, command: Command) => {
      const { logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
      if (Boolean(options.runDir) === Boolean(options.reviews)) {
        throw new InputError("score_source", "Give exactly one of --run-dir <dir> and --reviews <file>.");
      }
      const dataset = options.dataset?.length
        ? {
            paths: options.dataset,
            ...(options.candidates ? { candidates: options.candidates } : {}),
            ...(options.instances ? { instances: options.instances } : {}),
            ...(options.split ? { split: options.split } : {}),
          }
        : undefined;
      const common = {
        ...(dataset ? { dataset } : {}),
        ...(options.revisions ? { revisions: options.revisions } : {}),
        ...(options.reviewer ? { reviewer: options.reviewer } : {}),
      };
      let scored: ScoredBench;
      if (options.runDir) {
        scored = await scoreRunDir({ runDir: options.runDir, ...common });
      } else {
        if (!dataset)
          throw new InputError("dataset_missing", "--reviews needs --dataset <split folder or file>.");
        scored = await scoreReviewsFile({ reviews: options.reviews as string, ...common });
      }
      const inRunDir = options.runDir && options.report !== false;
      const files = {
        ...(inRunDir && options.runDir ? { summary: join(options.runDir, "summary.json") } : {}),
        ...(typeof options.report === "string"
          ? { report: options.report }
          : inRunDir && options.runDir
            ? { report: join(options.runDir, "report.html") }
            : {}),
      };
      writeScoreFiles(scored, files);
      if (options.output) writeScoreFiles(scored, { summary: options.output });
      for (const [what, path] of Object.entries({
        ...files,
        ...(options.output ? { output: options.output } : {}),
      })) {
        logger.info({ path }, `wrote ${what}`);
      }
      process.stdout.write(
        options.json ? `${JSON.stringify(scored.summary, null, 2)}\n` : renderScoreTable(scored.summary),
      );
    });
}
