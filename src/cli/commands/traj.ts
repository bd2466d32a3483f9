import { type Command, Option } from "commander";
import { InputError } from "../../common/errors.js";
import { readLabels } from "../../training-data/dataset/labels.js";
import { EXPORT_FORMATS, type ExportFormat, exportTrajectories } from "../../training-data/export/export.js";
import {
  DEFAULT_MAX_PATCH_BYTES,
  KEEP_DECISIONS,
  type KeepDecisions,
} from "../../training-data/export/filters.js";
import { findTextTokenizer } from "../../training-data/export/token-count.js";
import {
  compileMaskPatterns,
  DEFAULT_MASK_PATTERNS,
  PAPER_MASK_PATTERNS,
} from "../../training-data/export/turn-mask.js";
import { validateShareGptFile } from "../../training-data/export/validate-sharegpt.js";
import { importAtif } from "../../training-data/import/atif.js";
import { importSweReviewTraj } from "../../training-data/import/swe-review-traj.js";
import { writeImportedRun } from "../../training-data/import/write-run.js";
import { AGENT_STATUSES, type AgentStatus } from "../../trajectory/schema.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { collect, integerOption } from "../option-parsers.js";
import { pathArgument, pathOption } from "../path-options.js";
import { registerTrajViewCommand } from "./traj-view.js";

interface ExportFlags {
  format: ExportFormat;
  out: string;
  labels?: string;
  keep: KeepDecisions;
  status: string;
  maxPatchBytes: number;
  baseModel: string;
  tokenizer?: string;
  cutoffLen: number;
  overCutoff: "drop" | "truncate";
  turnMask: boolean;
  maskPattern?: string[];
  maskPaper?: boolean;
  datasetName?: string;
  gpus: number;
}

/** `swe-review traj`: trajectories to training data (export, import, validate) and to a page (view). */
export function registerTrajCommand(program: Command): void {
  const traj = program
    .command("traj")
    .description("trajectories to training data: export, import, validate, view");
  traj
    .command("export")
    .description(
      "export trajectories (files or run directories) as training data: LLaMA-Factory ShareGPT rendered with " +
        "Qwen3's chat template (with dataset_info.json and the paper's training config), ATIF, or OpenAI JSONL",
    )
    .addArgument(pathArgument("<inputs...>", "trajectory files or run directories", "file-or-folder"))
    .addOption(
      pathOption(
        "--out <dir>",
        "output folder (the data file, a stats file, and the training configuration)",
        "output-folder",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option("--format <format>", "what to write").choices([...EXPORT_FORMATS]).default("llamafactory"),
    )
    .addOption(
      pathOption(
        "--labels <file>",
        "labels: {instance_id or candidate_id, resolved} rows as JSON, JSONL or Parquet",
        "file",
      ),
    )
    .addOption(
      new Option("--keep <which>", "verdicts to keep against the label")
        .choices([...KEEP_DECISIONS])
        .default("correct"),
    )
    .option("--status <list>", `agent end statuses to keep, comma-separated, or "any"`, "finished")
    .option(
      "--max-patch-bytes <n>",
      "leave out candidates whose patch is larger",
      integerOption("--max-patch-bytes"),
      DEFAULT_MAX_PATCH_BYTES,
    )
    .option(
      "--base-model <repo>",
      "the model to train (chat template, tokenizer, training config)",
      "Qwen/Qwen3-8B",
    )
    .addOption(
      pathOption(
        "--tokenizer <file>",
        "the base model's tokenizer.json (default: from the Hugging Face cache)",
        "file",
      ),
    )
    .option(
      "--cutoff-len <n>",
      "token limit per example (LLaMA-Factory cutoff_len)",
      integerOption("--cutoff-len"),
      131_072,
    )
    .addOption(
      new Option("--over-cutoff <what>", "examples over the cutoff: leave out, or keep the turns that fit")
        .choices(["drop", "truncate"])
        .default("drop"),
    )
    .option("--no-turn-mask", "train every assistant turn (stock LLaMA-Factory; no turn_mask in the config)")
    .option("--mask-pattern <regex>", "a failed tool result (repeatable; replaces the default)", collect)
    .option(
      "--mask-paper",
      "also mask turns before ERROR: lines and non-zero exit codes (the released exporter's rule)",
    )
    .option("--dataset-name <name>", "dataset name and file stem (default: swe_review_traj_decision_<keep>)")
    .option(
      "--gpus <n>",
      "GPUs of the training run (sets gradient accumulation for an effective batch of 64)",
      integerOption("--gpus"),
      8,
    )
    .action(async (inputs: string[], flags: ExportFlags, command: Command) => {
      const { logger } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const patterns = flags.maskPattern ?? (flags.maskPaper ? PAPER_MASK_PATTERNS : DEFAULT_MASK_PATTERNS);
      const tokenizer = findTextTokenizer({
        baseModel: flags.baseModel,
        ...(flags.tokenizer ? { tokenizer: flags.tokenizer } : {}),
      });
      if (!tokenizer) {
        logger.warn(
          { baseModel: flags.baseModel },
          "no tokenizer.json for the base model (pass --tokenizer): token lengths are not measured and no cutoff is applied",
        );
      }
      const result = exportTrajectories({
        inputs,
        outDir: flags.out,
        format: flags.format,
        filters: { keep: flags.keep, maxPatchBytes: flags.maxPatchBytes, ...statuses(flags.status) },
        ...(flags.labels ? { labels: await readLabels(flags.labels) } : {}),
        cutoffLen: flags.cutoffLen,
        overCutoff: flags.overCutoff,
        ...(tokenizer ? { tokenizer } : {}),
        maskPatterns: flags.turnMask ? compileMaskPatterns(patterns) : null,
        datasetName:
          flags.datasetName ??
          (flags.keep === "all" ? "swe_review_traj_all" : `swe_review_traj_decision_${flags.keep}`),
        baseModel: flags.baseModel,
        gpus: flags.gpus,
        logger,
      });
      process.stdout.write(
        `${JSON.stringify({ files: result.files, kept: result.stats.kept, inputs: result.stats.inputs, dropped: result.stats.dropped }, null, 2)}\n`,
      );
    });

  traj
    .command("import")
    .description("convert SWE-Review-Traj rows or ATIF trajectories into a run directory of our trajectories")
    .addArgument(
      pathArgument("<file>", "SWE-Review-Traj rows (JSONL, JSON or Parquet) or ATIF (JSON or JSONL)", "file"),
    )
    .addOption(
      pathOption(
        "--out <dir>",
        "the run directory to create (instances/<id>/trajectory.jsonl + result.json)",
        "output-folder",
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option("--from <format>", "the file's format")
        .choices(["swe-review-traj", "atif"])
        .makeOptionMandatory(),
    )
    .action(async (file: string, flags: { out: string; from: "swe-review-traj" | "atif" }) => {
      const createdAt = new Date().toISOString();
      const imported =
        flags.from === "atif" ? importAtif(file, createdAt) : await importSweReviewTraj(file, createdAt);
      const dirs = writeImportedRun(flags.out, imported);
      const dropped = imported.reduce((sum, trajectory) => sum + trajectory.dropped, 0);
      process.stdout.write(
        `${JSON.stringify({ out: flags.out, trajectories: dirs.length, dropped_messages: dropped }, null, 2)}\n`,
      );
    });

  traj
    .command("validate")
    .description("check a ShareGPT file against LLaMA-Factory's rules; exit 1 when a record would be skipped")
    .addArgument(pathArgument("<file>", "a JSON array or JSONL file of ShareGPT records", "file"))
    .action((file: string) => {
      const report = validateShareGptFile(file);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      if (report.valid !== report.records || report.records === 0) process.exitCode = 1;
    });

  registerTrajViewCommand(traj);
}

function statuses(list: string): { statuses?: AgentStatus[] } {
  if (list.trim() === "any") return {};
  const values = list
    .split(",")
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = values.filter((value) => !(AGENT_STATUSES as readonly string[]).includes(value));
  if (unknown.length > 0) {
    throw new InputError(
      "status_invalid",
      `--status ${unknown.join(", ")}: not an agent status; use "any" or some of ${AGENT_STATUSES.join(", ")}.`,
    );
  }
  return { statuses: values as AgentStatus[] };
}
