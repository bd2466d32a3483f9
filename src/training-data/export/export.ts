import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Logger, silentLogger } from "../../common/logger.js";
import { SecretScrubber, secretValuesFromEnv } from "../../common/secrets.js";
import { renderQwen3 } from "../../model/text-calls/qwen3-template.js";
import { toAtif } from "../../trajectory/formats/atif-export.js";
import { toOpenAiMessages, toOpenAiTools } from "../../trajectory/formats/openai-chat.js";
import type { Labels } from "../dataset/labels.js";
import { loadSamples } from "../dataset/load-samples.js";
import type { TrajSample } from "../dataset/sample.js";
import { filterSample, type SampleFilters } from "./filters.js";
import { fitToCutoff, llamaFactoryRecord } from "./llamafactory.js";
import { llamaFactoryToolsRecord } from "./llamafactory-tools.js";
import { trainingConversation } from "./prepare.js";
import { DEEPSPEED_FILE, DEEPSPEED_Z3, datasetInfo, recipeSlug, trainingYaml } from "./recipe.js";
import type { ShareGptMessage } from "./sharegpt.js";
import { ExportStats } from "./stats.js";
import type { TextTokenizer } from "./token-count.js";

/**
 * The training-data formats: `llamafactory` (ShareGPT turns rendered with Qwen3's chat template, plus the
 * dataset registration and training configs), `llamafactory-tools` (LLaMA-Factory's tools-column form), `openai`
 * (OpenAI chat messages, for TRL and other trainers) and `atif` (one ATIF trajectory a line).
 */
export const EXPORT_FORMATS = ["llamafactory", "llamafactory-tools", "openai", "atif"] as const;
/** One of `EXPORT_FORMATS`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `exportTrajectories` reads, how it filters and converts, and where it writes. */
export interface ExportOptions {
  /** Trajectory files, or folders (run directories) holding them. */
  inputs: readonly string[];
  /** Created when missing; files of the same names in it are overwritten. */
  outDir: string;
  format: ExportFormat;
  filters: SampleFilters;
  /** Ground truth by candidate or instance; overrides the label a run folder's `result.json` gives. */
  labels?: Labels;
  /** Token limit per example (LLaMA-Factory's cutoff_len); applied only when a tokenizer is at hand. */
  cutoffLen: number;
  /** Over the cutoff: leave the example out, or (LLaMA-Factory formats) keep the whole turns that fit. */
  overCutoff: "drop" | "truncate";
  /** Counts tokens for the cutoff and the length statistics; absent: no cutoff is applied. */
  tokenizer?: TextTokenizer;
  /** Patterns of failed tool results whose preceding assistant turn is masked; null: no turn masks. */
  maskPatterns: readonly RegExp[] | null;
  /** The name of the data file (`<datasetName>.jsonl`), its stats file and its LLaMA-Factory registration. */
  datasetName: string;
  /** The model the LLaMA-Factory training config fine-tunes (a Hugging Face id). */
  baseModel: string;
  /** GPUs the training config is written for (they set gradient accumulation; must divide the batch of 64). */
  gpus: number;
  logger?: Logger;
  /** Whose secret values are scrubbed from everything written; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** What an export wrote, and its statistics (kept, dropped and why, token lengths). */
export interface ExportResult {
  /** The JSONL data file, one example a line. */
  dataFile: string;
  /** `<datasetName>.stats.json`. */
  statsFile: string;
  /** Every file written, data first. */
  files: string[];
  stats: ExportStats;
}

/** The turns of a LLaMA-Factory record, for turn statistics and the cutoff. */
type Turns = readonly { role: string; turn_mask: boolean }[];
type Built =
  | { ok: true; record: object; turns: Turns | undefined; merged: number }
  | { ok: false; reason: string };

/**
 * Exports trajectories as training data: loads every trajectory under the inputs, filters them, converts the kept
 * ones to the chosen format, one JSON object a line, and writes the stats file (and, for LLaMA-Factory, the
 * dataset registration and the paper's training configuration). Known secret values of the environment are
 * replaced in everything written.
 */
export function exportTrajectories(options: ExportOptions): ExportResult {
  const logger = options.logger ?? silentLogger;
  const scrubber = new SecretScrubber(secretValuesFromEnv(options.env ?? process.env), { redactUrls: false });
  mkdirSync(options.outDir, { recursive: true });
  const fileName = `${options.datasetName}.jsonl`;
  const dataFile = join(options.outDir, fileName);
  const stats = new ExportStats();
  stats.tokenMethod = options.tokenizer?.describe();
  const fd = openSync(dataFile, "w");
  try {
    for (const sample of loadSamples(options.inputs, options.labels)) {
      stats.inputs++;
      const reason = filterSample(sample, options.filters, stats);
      if (reason) {
        stats.drop(reason);
        continue;
      }
      const built = buildRecord(sample, options);
      if (!built.ok) {
        stats.drop("unrepresentable", `${sample.where}: ${built.reason}`);
        logger.warn({ trajectory: sample.where, reason: built.reason }, "left out: cannot be represented");
        continue;
      }
      const fitted = applyCutoff(built, sample, options, stats);
      if (!fitted) continue;
      const line = JSON.stringify(fitted.record);
      writeSync(fd, `${scrubber.scrub(line)}\n`);
      const replies = fitted.turns?.filter(
        (turn) => turn.role === "assistant" || turn.role === "function_call",
      );
      stats.keep(
        {
          assistant: replies?.length ?? 0,
          masked: replies?.filter((turn) => turn.turn_mask).length ?? 0,
          merged: built.merged,
        },
        fitted.tokens,
      );
    }
  } finally {
    closeSync(fd);
  }
  const statsFile = join(options.outDir, `${options.datasetName}.stats.json`);
  writeFileSync(statsFile, `${JSON.stringify({ format: options.format, ...stats.toJSON() }, null, 2)}\n`);
  const files = [dataFile, statsFile, ...writeRecipe(options, fileName)];
  logger.info({ kept: stats.kept, inputs: stats.inputs, dataFile }, "export written");
  return { dataFile, statsFile, files, stats };
}

function buildRecord(sample: TrajSample, options: ExportOptions): Built {
  if (options.format === "atif")
    return { ok: true, record: toAtif(sample.events), turns: undefined, merged: 0 };
  const messages = trainingConversation(sample.messages);
  const masks = options.maskPatterns ?? [];
  if (options.format === "llamafactory") {
    const built = llamaFactoryRecord(messages, sample.tools, masks);
    if (!built.ok) return built;
    const { messages: turns, merged } = built.record;
    return { ok: true, record: { messages: turns }, turns, merged };
  }
  if (options.format === "llamafactory-tools") {
    const built = llamaFactoryToolsRecord(messages, sample.tools, masks);
    return built.ok ? { ok: true, record: built.record, turns: built.record.messages, merged: 0 } : built;
  }
  const record: Record<string, unknown> = {
    messages: toOpenAiMessages(messages),
    tools: toOpenAiTools(sample.tools),
    decision: sample.decision,
  };
  if (sample.resolved !== undefined) record.patch_resolved = sample.resolved;
  if (sample.instanceId) record.instance_id = sample.instanceId;
  return { ok: true, record, turns: undefined, merged: 0 };
}

/** Measures the example with the tokenizer and applies the cutoff; undefined when the example is dropped. */
function applyCutoff(
  built: Extract<Built, { ok: true }>,
  sample: TrajSample,
  options: ExportOptions,
  stats: ExportStats,
): { record: object; turns: Turns | undefined; tokens?: number } | undefined {
  const { tokenizer } = options;
  if (!tokenizer) return built;
  if (options.format === "llamafactory" && built.turns) {
    const turns = built.turns as ShareGptMessage[];
    const fitted = fitToCutoff(turns, (text) => tokenizer.count(text), options.cutoffLen);
    if (!fitted || (fitted.tokens < fitted.fullTokens && options.overCutoff === "drop")) {
      stats.drop("over_cutoff");
      return undefined;
    }
    if (fitted.tokens < fitted.fullTokens) stats.truncated++;
    return {
      record: { ...built.record, messages: fitted.messages },
      turns: fitted.messages,
      tokens: fitted.tokens,
    };
  }
  const tokens = tokenizer.count(renderQwen3(trainingConversation(sample.messages), sample.tools));
  if (tokens > options.cutoffLen) {
    stats.drop("over_cutoff");
    return undefined;
  }
  return { ...built, tokens };
}

function writeRecipe(options: ExportOptions, fileName: string): string[] {
  if (options.format !== "llamafactory" && options.format !== "llamafactory-tools") return [];
  const recipe = {
    baseModel: options.baseModel,
    datasetName: options.datasetName,
    fileName,
    form: options.format === "llamafactory" ? ("messages" as const) : ("tools" as const),
    cutoffLen: options.cutoffLen,
    gpus: options.gpus,
    turnMask: options.maskPatterns !== null,
  };
  const yaml = trainingYaml(recipe);
  mkdirSync(join(options.outDir, "configs"), { recursive: true });
  const infoFile = join(options.outDir, "dataset_info.json");
  const yamlFile = join(options.outDir, "configs", `${recipeSlug(options.baseModel)}.yaml`);
  const deepspeedFile = join(options.outDir, DEEPSPEED_FILE);
  writeFileSync(infoFile, `${JSON.stringify(datasetInfo(recipe), null, 2)}\n`);
  writeFileSync(yamlFile, yaml);
  writeFileSync(deepspeedFile, `${JSON.stringify(DEEPSPEED_Z3, null, 2)}\n`);
  return [infoFile, yamlFile, deepspeedFile];
}
