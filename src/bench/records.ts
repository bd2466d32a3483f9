import { z } from "zod";
import { orUnversioned } from "../common/record-version.js";
import { LoopRecordReadSchema } from "../loop/legacy-record.js";
import { UsageRecordReadSchema, UsageRecordSchema } from "../model/usage-record.js";
import { RecommendationSchema } from "../review/report.js";

/**
 * The run directory, the unit of persistence of a benchmark run (architecture doc):
 *
 * ```
 * <run-dir>/run.json                      what was run (config, versions, dataset fingerprint)
 * <run-dir>/instances/<key>/candidate.json what was reviewed (patch, PR text, provenance, label)
 * <run-dir>/instances/<key>/report.json    the review's report   (bench review)
 * <run-dir>/instances/<key>/trajectory.jsonl the review's trajectory
 * <run-dir>/instances/<key>/result.json   written last, atomically: the item is done when it exists
 * <run-dir>/instances/<key>/revision/     the RRR protocol's revision (bench revise), and revision.json
 * <run-dir>/instances/<key>/loop/         a loop run (bench tts): rounds/, loop.json, final.patch
 * <run-dir>/summary.json, report.html     rebuilt from the instances at any time
 * ```
 * `<key>` is the candidate id made safe for a folder name. Every path here is in the run-folder layout
 * (`RUN_FOLDER_LAYOUT` in common/run-folder.ts): a new file written into a run directory is added there too, or a
 * working-tree review takes it for part of the change.
 *
 * `run.json`, `result.json` and `revision.json` carry `version: BENCH_RECORD_VERSION`; the `…ReadSchema` of each
 * reads them back, a record written before versions (no `version`; `run.json`'s `versions.sweReview`) upgraded.
 */

/** The version of the run-directory records this release writes. */
export const BENCH_RECORD_VERSION = 1 as const;

export const RUN_KINDS = ["review", "tts", "verify"] as const;

export const RunManifestSchema = z.object({
  version: z.literal(BENCH_RECORD_VERSION),
  run_id: z.string(),
  kind: z.enum(RUN_KINDS),
  created_at: z.string(),
  /** The swe-review and Node.js versions that made the run. */
  versions: z.object({ swe_review: z.string(), node: z.string() }),
  dataset: z.object({
    path: z.string(),
    /** sha256 of the dataset file(s): a re-run against a different dataset is refused. */
    fingerprint: z.string(),
    split: z.string().optional(),
    items: z.number().int().nonnegative(),
  }),
  /** Reviewer, generator, strategy and the rest, as resolved (secrets redacted). */
  settings: z.record(z.string(), z.unknown()),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/** `run.json` as read back: this release's, or one written before versions (`versions.sweReview`) upgraded. */
export const RunManifestReadSchema = z.union([
  RunManifestSchema,
  RunManifestSchema.omit({ version: true, versions: true })
    .extend({
      version: z.undefined().optional(),
      versions: z.object({ sweReview: z.string(), node: z.string() }),
    })
    .transform(
      ({ version: _none, versions, ...same }): RunManifest => ({
        version: BENCH_RECORD_VERSION,
        ...same,
        versions: { swe_review: versions.sweReview, node: versions.node },
      }),
    ),
]);

/** A defect's location, kept for localisation metrics. */
export const DefectLocationSchema = z.object({
  severity: z.string(),
  category: z.string(),
  path: z.string().nullable(),
  start_line: z.number().int().nullable(),
  end_line: z.number().int().nullable(),
});

export const ReviewSummarySchema = z.object({
  mode: z.string(),
  /** null: no verdict (a model failure). */
  decision: RecommendationSchema.nullable(),
  confidence: z.number().nullable(),
  source: z.string().nullable(),
  reason: z.string().optional(),
  agent_status: z.string().optional(),
  defects: z.array(DefectLocationSchema),
});
export type ReviewSummary = z.infer<typeof ReviewSummarySchema>;

export const InstanceResultSchema = z.object({
  version: z.literal(BENCH_RECORD_VERSION),
  key: z.string(),
  instance_id: z.string(),
  candidate_id: z.string(),
  split: z.string().optional(),
  /**
   * `done`: the work ran to its end (a review without a verdict is still done: a model failure). `failed`: an
   * infrastructure error remained after retries (workspace, sandbox, network); such items are retried on a re-run.
   */
  status: z.enum(["done", "failed"]),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Ground truth: does the candidate resolve the instance (SWE-Review-Bench's candidate_resolved)? */
  label: z.boolean().nullable(),
  /** A `verify` item: whether its label came with the dataset or from running its tests. */
  labelled_by: z.enum(["dataset", "tests"]).optional(),
  review: ReviewSummarySchema.optional(),
  /** A `tts` item's loop record (`loop.json`; a legacy one is upgraded on reading). */
  loop: LoopRecordReadSchema.optional(),
  usage: UsageRecordSchema,
  steps: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  attempts: z.number().int().positive(),
  finished_at: z.string(),
});
export type InstanceResult = z.infer<typeof InstanceResultSchema>;

/** An item's `result.json` as read back (one written before versions, its usage camelCase, upgraded). */
export const InstanceResultReadSchema = orUnversioned(InstanceResultSchema, { usage: UsageRecordReadSchema });

/** `revision.json`: the revision of a rejected candidate (RRR protocol: revised once with the feedback, verified). */
export const RevisionResultSchema = z.object({
  version: z.literal(BENCH_RECORD_VERSION),
  /** null: verification failed to run. */
  resolved: z.boolean().nullable(),
  applied: z.boolean(),
  patch_bytes: z.number().int().nonnegative(),
  generator_status: z.string(),
  usage: UsageRecordSchema,
  seconds: z.number().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RevisionResult = z.infer<typeof RevisionResultSchema>;

/** `revision.json` as read back (one written before versions, its usage camelCase, upgraded). */
export const RevisionResultReadSchema = orUnversioned(RevisionResultSchema, { usage: UsageRecordReadSchema });

/** A candidate id as a folder name. */
export function itemKey(candidateId: string): string {
  return candidateId.replace(/[^A-Za-z0-9._@-]+/g, "_").slice(0, 200);
}
