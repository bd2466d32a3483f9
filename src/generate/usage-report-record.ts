import { z } from "zod";
import { type UsageReport, UsageReportSchema } from "./agent-clis/agent-cli.js";

const figures = UsageReportSchema.shape;

/**
 * A generator's `UsageReport` as records on disk hold it (a generation's `result.json` and `loop.json`'s
 * `usage_report`): snake_case; null where the generator did not say. In memory it stays the camelCase `UsageReport`,
 * whose figures' bounds these are.
 */
export const UsageReportRecordSchema = z.object({
  version: figures.version,
  source: figures.source,
  input_tokens: figures.inputTokens,
  output_tokens: figures.outputTokens,
  cache_read_tokens: figures.cacheReadTokens,
  cache_write_tokens: figures.cacheWriteTokens,
  cost_usd: figures.costUsd,
});
/** A usage report as a record on disk holds it (`UsageReportRecordSchema`). */
export type UsageReportRecord = z.infer<typeof UsageReportRecordSchema>;

/** A usage report as a record holds it. */
export function usageReportRecord(report: UsageReport): UsageReportRecord {
  return {
    version: report.version,
    source: report.source,
    input_tokens: report.inputTokens,
    output_tokens: report.outputTokens,
    cache_read_tokens: report.cacheReadTokens,
    cache_write_tokens: report.cacheWriteTokens,
    cost_usd: report.costUsd,
  };
}

/**
 * A usage report in a record as read back: this release's, or the camelCase one records held before version 1,
 * upgraded.
 */
export const UsageReportRecordReadSchema = z.union([
  UsageReportRecordSchema,
  UsageReportSchema.transform(usageReportRecord),
]);
