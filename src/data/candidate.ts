import { z } from "zod";

/** A patch proposed for an instance, with what is known about it. */
export const CandidateSchema = z.object({
  candidate_id: z.string().min(1),
  instance_id: z.string().min(1),
  /** A unified diff against the instance's base commit; empty for "no change". */
  model_patch: z.string(),
  pr_title: z.string().optional(),
  pr_body: z.string().optional(),
  /** Where it came from: a run, a model, a benchmark split. */
  source: z.string().optional(),
  /** The ground-truth label, when known (SWE-bench's resolved, SWE-Review-Bench's candidate_resolved). */
  resolved: z.boolean().optional(),
});
/** A patch proposed for an instance, with its PR text, origin and label when known; see `CandidateSchema`. */
export type Candidate = z.infer<typeof CandidateSchema>;

/** A row of a SWE-bench predictions file. A `null` patch (a run that produced none) is read as no change. */
export const PredictionSchema = z.object({
  instance_id: z.string().min(1),
  model_name_or_path: z.string().min(1),
  model_patch: z
    .string()
    .nullable()
    .transform((patch) => patch ?? ""),
});
/** A row of a SWE-bench predictions file, its patch `""` when the file had null. */
export type Prediction = z.infer<typeof PredictionSchema>;

/**
 * The candidate a prediction proposes: id `<instance_id>@<model_name_or_path>`, the model as its source, no
 * label.
 */
export function candidateFromPrediction(prediction: Prediction): Candidate {
  return {
    candidate_id: `${prediction.instance_id}@${prediction.model_name_or_path}`,
    instance_id: prediction.instance_id,
    model_patch: prediction.model_patch,
    source: prediction.model_name_or_path,
  };
}
