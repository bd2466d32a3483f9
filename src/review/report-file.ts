import { z } from "zod";
import { UsageRecordReadSchema, UsageRecordSchema } from "../model/usage-record.js";
import { ReviewOutcomeSchema } from "./outcome.js";

/** The version of `report.json` this release writes. */
export const REPORT_FILE_VERSION = 1 as const;

/**
 * `report.json`: a review's outcome with the facts of the run that produced it. Written by `runReview`; read by
 * whatever acts on a review later (the MCP tools, the revision guidance, pull-request comments).
 */
export const ReportFileSchema = ReviewOutcomeSchema.extend({
  version: z.literal(REPORT_FILE_VERSION),
  mode: z.string(),
  model: z.object({ provider: z.string(), name: z.string() }),
  /** The base commit the workspace was checked out at. */
  commit: z.string(),
  /** snake_case, as in every record (`UsageRecordSchema`). */
  usage: UsageRecordSchema,
  steps: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  /** The swe-review version that wrote it. */
  swe_review: z.string(),
});
/**
 * `report.json` as this release writes it: the review outcome with the facts of its run; see
 * `ReportFileSchema`.
 */
export type ReportFile = z.infer<typeof ReportFileSchema>;

/**
 * `report.json` as read back: this release's, or one written before record versions, whose `version` was the
 * swe-review version (now `swe_review`) and whose `usage` was camelCase, upgraded.
 */
export const ReportFileReadSchema = z.union([
  ReportFileSchema,
  ReportFileSchema.omit({ version: true, swe_review: true })
    .extend({ version: z.string(), usage: UsageRecordReadSchema })
    .transform(
      ({ version, ...same }): ReportFile => ({ ...same, version: REPORT_FILE_VERSION, swe_review: version }),
    ),
]);
