import { z } from "zod";
import { type UsageReport, UsageReportSchema } from "./agent-clis/agent-cli.js";

const TokenCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable();

/**
 * A generator's `UsageReport` as records on disk hold it (a generation's `result.json` and `loop.json`'s
 * `usage_report`): snake_case; null where the generator did not say. In memory it stays the camelCase `UsageReport`.
 */
export const UsageReportRecordSchema = z.object({
  version: z.literal(1),
  source: z.enum(["agent", "cli", "not_reported"]),
  input_tokens: TokenCount,
  output_tokens: TokenCount,
  cache_read_tokens: TokenCount,
  cache_write_tokens: TokenCount,
  cost_usd: z.number().nonnegative().max(1e9).nullable(),
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
