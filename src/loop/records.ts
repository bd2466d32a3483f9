import { z } from "zod";
import { UsageReportRecordSchema } from "../generate/usage-report-record.js";
import { UsageRecordSchema } from "../model/usage-record.js";
import { RecommendationSchema } from "../review/report.js";

/**
 * The loop's strategies: `iterative` (revise with the reviewer's feedback until approved), `gated` (independent
 * samples until one is approved) and `best-of-n` (N samples, all reviewed, the most confidently approved submitted).
 */
export const STRATEGIES = ["iterative", "gated", "best-of-n"] as const;
/** Validates a strategy name; see `STRATEGIES`. */
export const StrategySchema = z.enum(STRATEGIES);
/** One of `STRATEGIES`: how the loop spends its sample budget. */
export type Strategy = z.infer<typeof StrategySchema>;

/** A sample's generation (or revision): how it ended and what it spent. */
export const SampleGenerationSchema = z.object({
  status: z.string(),
  /** The model error that stopped the generator (`code: message`), if one did. */
  error: z.string().optional(),
  /** Totals for sums: 0 where the generator reported nothing (`usage_report` says which). */
  usage: UsageRecordSchema,
  /** The usage as the generator reported it: our agent's count, an external CLI's report, or not reported (nulls). */
  usage_report: UsageReportRecordSchema.optional(),
  steps: z.number(),
  seconds: z.number(),
});

/** A sample's review: its verdict and what it spent. */
export const SampleReviewSchema = z.object({
  decision: RecommendationSchema.nullable(),
  confidence: z.number().nullable(),
  source: z.string().nullable(),
  usage: UsageRecordSchema,
  steps: z.number(),
  seconds: z.number(),
  dir: z.string(),
  /** The model error that stopped the reviewer (`code: message`), if one did. */
  error: z.string().optional(),
});

/** One sample: a generation or a revision, its review and, when verified, whether it resolves the issue. */
export const SampleRecordSchema = z.object({
  sample: z.number().int().positive(),
  kind: z.enum(["generation", "revision"]),
  dir: z.string(),
  patch_bytes: z.number().int().nonnegative(),
  generation: SampleGenerationSchema,
  review: SampleReviewSchema.optional(),
  /** null: verification failed to run (see verify_error). */
  resolved: z.boolean().nullable().optional(),
  verify_error: z.string().optional(),
});
/** One sample of a loop run as `loop.json` records it; see `SampleRecordSchema`. */
export type SampleRecord = z.infer<typeof SampleRecordSchema>;

export const LoopOutcomeSchema = z.enum(["approved", "none_approved", "no_verdict", "aborted"]);

/** Validates how complete a loop's generator usage is; see `GeneratorUsage`. */
export const GeneratorUsageSchema = z.enum(["reported", "partly_reported", "not_reported"]);
/**
 * Whether the generator's token totals are complete: every sample reported usage, only some did (the totals count
 * those), or none did (the totals are unknown, not zero).
 */
export type GeneratorUsage = z.infer<typeof GeneratorUsageSchema>;

/** How complete the generator's usage is over the samples made (see `LoopRecord.tokens.generator_usage`). */
export function generatorUsage(samples: readonly SampleRecord[]): GeneratorUsage {
  const unreported = samples.filter(
    (sample) => sample.generation.usage_report?.source === "not_reported",
  ).length;
  if (unreported === 0) return "reported";
  return unreported === samples.length ? "not_reported" : "partly_reported";
}

/** The version of `loop.json` this release writes (`LoopRecordSchema`); `legacy-record.ts` reads the ones before. */
export const LOOP_RECORD_VERSION = 1 as const;

/**
 * `loop.json`, as this release writes it: everything a run of the loop did, for the per-instance accounting of the
 * benchmark. Read records back with `LoopRecordReadSchema` (legacy-record.ts), which also reads earlier versions.
 */
export const LoopRecordSchema = z.object({
  version: z.literal(LOOP_RECORD_VERSION),
  strategy: StrategySchema,
  budget: z.number().int().positive(),
  samples: z.array(SampleRecordSchema),
  /** Generations made (revisions included; reviews are not samples). */
  samples_spent: z.number().int().nonnegative(),
  reviewer_calls: z.number().int().nonnegative(),
  /** The sample submitted as the final candidate. */
  submitted: z.number().int().positive().nullable(),
  outcome: LoopOutcomeSchema.nullable(),
  tokens: z.object({
    generator: UsageRecordSchema,
    reviewer: UsageRecordSchema,
    /**
     * Whether `generator` is complete: every sample's generator reported its usage (`reported`), some did not
     * (`partly_reported`: the totals count only those that did), or none did (`not_reported`: the totals are not 0
     * tokens spent, they are unknown). Absent in records written before external generators were accounted.
     */
    generator_usage: GeneratorUsageSchema.optional(),
  }),
  seconds: z.number(),
  resolved: z.boolean().nullable().optional(),
});
/**
 * `loop.json` as this release writes it; see `LoopRecordSchema` (read records back with
 * `LoopRecordReadSchema`).
 */
export type LoopRecord = z.infer<typeof LoopRecordSchema>;
