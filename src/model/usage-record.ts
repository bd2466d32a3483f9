import { z } from "zod";
import { type Usage, UsageSchema } from "./types.js";

/**
 * A `Usage` as records on disk hold it (`report.json`, `loop.json`, a generation's and a bench item's `result.json`,
 * `revision.json`): snake_case, as every record is (docs/records.md). In memory, and in trajectories, it stays the
 * camelCase `Usage`; `usageRecord()` and `usageOf()` convert between the two.
 */
export const UsageRecordSchema = z.object({
  prompt_tokens: UsageSchema.shape.promptTokens,
  completion_tokens: UsageSchema.shape.completionTokens,
  /** Prompt tokens served from the provider's cache (included in prompt_tokens). */
  cached_tokens: UsageSchema.shape.cachedTokens,
  /** Prompt tokens written to the provider's cache (Anthropic; included in prompt_tokens). */
  cache_write_tokens: UsageSchema.shape.cacheWriteTokens,
  cost_usd: UsageSchema.shape.costUsd,
});
/** A usage as a record on disk holds it (`UsageRecordSchema`). */
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

/** A usage as a record holds it. */
export function usageRecord(usage: Usage): UsageRecord {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    cached_tokens: usage.cachedTokens,
    ...(usage.cacheWriteTokens === undefined ? {} : { cache_write_tokens: usage.cacheWriteTokens }),
    cost_usd: usage.costUsd,
  };
}

/** The `Usage` a record holds. */
export function usageOf(record: UsageRecord): Usage {
  return {
    promptTokens: record.prompt_tokens,
    completionTokens: record.completion_tokens,
    cachedTokens: record.cached_tokens,
    ...(record.cache_write_tokens === undefined ? {} : { cacheWriteTokens: record.cache_write_tokens }),
    costUsd: record.cost_usd,
  };
}

/**
 * A usage in a record as read back: this release's, or the camelCase `Usage` records held before version 1,
 * upgraded. The read schemas of records written before versions use it in place of `UsageRecordSchema`.
 */
export const UsageRecordReadSchema = z.union([UsageRecordSchema, UsageSchema.transform(usageRecord)]);
