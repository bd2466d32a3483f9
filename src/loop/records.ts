import { z } from "zod";
import { UsageSchema } from "../model/types.js";
import { RecommendationSchema } from "../review/report.js";

export const STRATEGIES = ["iterative", "gated", "best-of-n"] as const;
export const StrategySchema = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof StrategySchema>;

/** One sample: a generation or a revision, its review and, when verified, whether it resolves the issue. */
export const SampleRecordSchema = z.object({
  sample: z.number().int().positive(),
  kind: z.enum(["generation", "revision"]),
  dir: z.string(),
  patchBytes: z.number().int().nonnegative(),
  generation: z.object({
    status: z.string(),
    /** The model error that stopped the generator (`code: message`), if one did. */
    error: z.string().optional(),
    usage: UsageSchema,
    steps: z.number(),
    seconds: z.number(),
  }),
  review: z
    .object({
      decision: RecommendationSchema.nullable(),
      confidence: z.number().nullable(),
      source: z.string().nullable(),
      usage: UsageSchema,
      steps: z.number(),
      seconds: z.number(),
      dir: z.string(),
      /** The model error that stopped the reviewer (`code: message`), if one did. */
      error: z.string().optional(),
    })
    .optional(),
  /** null: verification failed to run (see verifyError). */
  resolved: z.boolean().nullable().optional(),
  verifyError: z.string().optional(),
});
export type SampleRecord = z.infer<typeof SampleRecordSchema>;

export const LoopOutcomeSchema = z.enum(["approved", "none_approved", "no_verdict", "aborted"]);

/** `loop.json`: everything a run of the loop did, for the per-instance accounting of the benchmark. */
export const LoopRecordSchema = z.object({
  strategy: StrategySchema,
  budget: z.number().int().positive(),
  samples: z.array(SampleRecordSchema),
  /** Generations made (revisions included; reviews are not samples). */
  samples_spent: z.number().int().nonnegative(),
  reviewer_calls: z.number().int().nonnegative(),
  /** The sample submitted as the final candidate. */
  submitted: z.number().int().positive().nullable(),
  outcome: LoopOutcomeSchema.nullable(),
  tokens: z.object({ generator: UsageSchema, reviewer: UsageSchema }),
  seconds: z.number(),
  resolved: z.boolean().nullable().optional(),
});
export type LoopRecord = z.infer<typeof LoopRecordSchema>;
