import { z } from "zod";
import { AgentStatusSchema } from "../trajectory/schema.js";
import { RecommendationSchema, ReviewReportSchema } from "./report.js";

/** Where the verdict came from, in the order the reviewer tries them. */
export const REPORT_SOURCES = [
  "report_file",
  "finish_message",
  "final_message",
  "forced_turn",
  "precheck",
] as const;

/**
 * The outcome of one review: what the reviewer decided and why, or why there is no decision. Written as the
 * trajectory's `result` event and as `report.json`; everything downstream (metrics, training-data filters) reads it.
 */
export const ReviewOutcomeSchema = z.object({
  /** null: no verdict (a model failure). */
  decision: RecommendationSchema.nullable(),
  report: ReviewReportSchema.nullable(),
  source: z.enum(REPORT_SOURCES).nullable(),
  /**
   * Why there is no decision, why the decision was made without a model (precheck), or why an earlier source was
   * passed over (e.g. a report file that was not read).
   */
  reason: z.string().optional(),
  /** The agent run's end status (absent for prechecks and single-turn reviews). */
  status: AgentStatusSchema.optional(),
});
/**
 * The outcome of one review: decision, report and where they came from, or why there is none; see
 * `ReviewOutcomeSchema`.
 */
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;
