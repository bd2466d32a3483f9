import { z } from "zod";
import { UsageReportRecordReadSchema } from "../generate/usage-report-record.js";
import { UsageRecordReadSchema } from "../model/usage-record.js";
import {
  LOOP_RECORD_VERSION,
  type LoopRecord,
  LoopRecordSchema,
  SampleGenerationSchema,
  SampleRecordSchema,
  SampleReviewSchema,
} from "./records.js";

/**
 * `loop.json` as releases before record versions wrote it (no `version`; a sample's `patchBytes`, `verifyError` and
 * `generation.usageReport` in camelCase, and every usage the camelCase `Usage`). Kept so a run made by such a
 * release still reads; it is never written. Its usages are upgraded as they are read (`UsageRecordReadSchema`).
 */
const LegacySampleSchema = SampleRecordSchema.omit({
  patch_bytes: true,
  verify_error: true,
  generation: true,
  review: true,
}).extend({
  patchBytes: z.number().int().nonnegative(),
  verifyError: z.string().optional(),
  generation: SampleGenerationSchema.omit({ usage_report: true }).extend({
    usage: UsageRecordReadSchema,
    usageReport: UsageReportRecordReadSchema.optional(),
  }),
  review: SampleReviewSchema.extend({ usage: UsageRecordReadSchema }).optional(),
});

const LegacyLoopRecordSchema = LoopRecordSchema.omit({ version: true, samples: true, tokens: true }).extend({
  version: z.undefined().optional(),
  samples: z.array(LegacySampleSchema),
  tokens: LoopRecordSchema.shape.tokens.extend({
    generator: UsageRecordReadSchema,
    reviewer: UsageRecordReadSchema,
  }),
});

function upgradeSample(legacy: z.infer<typeof LegacySampleSchema>): LoopRecord["samples"][number] {
  const { patchBytes, verifyError, generation, ...same } = legacy;
  const { usageReport, ...generationSame } = generation;
  return {
    ...same,
    patch_bytes: patchBytes,
    ...(verifyError === undefined ? {} : { verify_error: verifyError }),
    generation: { ...generationSame, ...(usageReport === undefined ? {} : { usage_report: usageReport }) },
  };
}

/**
 * `loop.json` as read back: this release's record (`LoopRecordSchema`), or a legacy one upgraded to it. Every reader
 * of `loop.json` (and of a bench item's `loop`) parses with this.
 */
export const LoopRecordReadSchema = z.union([
  LoopRecordSchema,
  LegacyLoopRecordSchema.transform(
    ({ version: _none, samples, ...same }): LoopRecord => ({
      version: LOOP_RECORD_VERSION,
      ...same,
      samples: samples.map(upgradeSample),
    }),
  ),
]);
