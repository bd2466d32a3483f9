import { z } from "zod";
import { UsageRecordReadSchema, UsageRecordSchema } from "../model/usage-record.js";
import { AgentStatusSchema } from "../trajectory/schema.js";
import { UsageReportRecordReadSchema, UsageReportRecordSchema } from "./usage-report-record.js";

/** The version of a generation's `result.json` this release writes. */
export const GENERATION_FILE_VERSION = 1 as const;

/** Our agent's end status, or how a generator command ended. */
export const GenerationStatusSchema = z.union([
  AgentStatusSchema,
  z.enum(["command_succeeded", "command_failed", "command_timeout"]),
]);

/**
 * A generation's (or revision's) `result.json`, beside `candidate.patch` and `pr.json` in its folder: how the
 * generator ended, what it spent and what it made. Written by `runGeneration`; read back by `bench revise` (a
 * revision already made is not made again) with `GenerationFileReadSchema`.
 */
export const GenerationFileSchema = z.object({
  version: z.literal(GENERATION_FILE_VERSION),
  kind: z.enum(["generation", "revision"]),
  status: GenerationStatusSchema,
  /** Why the agent stopped with `model_error`. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** From `/pr_content.json`; "N/A" when the generator wrote none (`pr_source: "missing"`). */
  pr_title: z.string(),
  pr_body: z.string(),
  pr_source: z.enum(["file", "missing"]),
  /** Binary files the generator changed, left out of the patch. */
  skipped_binary: z.array(z.string()),
  /** Totals for sums (0 where the generator reported nothing: `usage_report` says which). */
  usage: UsageRecordSchema,
  usage_report: UsageReportRecordSchema,
  steps: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  /** The commit the base resolved to. */
  commit: z.string(),
  /** The candidate: `candidate.patch` in the same folder. */
  patch_path: z.string(),
});
export type GenerationFile = z.infer<typeof GenerationFileSchema>;

/** `result.json` as releases before record versions wrote it: the same facts in camelCase (usage too), no version. */
const LegacyGenerationFileSchema = GenerationFileSchema.omit({
  version: true,
  pr_title: true,
  pr_body: true,
  pr_source: true,
  skipped_binary: true,
  usage_report: true,
  patch_path: true,
}).extend({
  version: z.undefined().optional(),
  usage: UsageRecordReadSchema,
  prTitle: z.string(),
  prBody: z.string(),
  prSource: z.enum(["file", "missing"]),
  skippedBinary: z.array(z.string()),
  usageReport: UsageReportRecordReadSchema,
  patchPath: z.string(),
});

/** A generation's `result.json` as read back: this release's, or a legacy one upgraded. */
export const GenerationFileReadSchema = z.union([
  GenerationFileSchema,
  LegacyGenerationFileSchema.transform(
    ({ version: _none, prTitle, prBody, prSource, skippedBinary, usageReport, patchPath, ...same }) =>
      GenerationFileSchema.parse({
        ...same,
        version: GENERATION_FILE_VERSION,
        pr_title: prTitle,
        pr_body: prBody,
        pr_source: prSource,
        skipped_binary: skippedBinary,
        usage_report: usageReport,
        patch_path: patchPath,
      }),
  ),
]);
