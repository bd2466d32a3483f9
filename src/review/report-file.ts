import { z } from "zod";
import { UsageSchema } from "../model/types.js";
import { ReviewOutcomeSchema } from "./outcome.js";

/**
 * `report.json`: a review's outcome with the facts of the run that produced it. Written by `runReview`; read by
 * whatever acts on a review later (the MCP tools, the revision guidance, pull-request comments).
 */
export const ReportFileSchema = ReviewOutcomeSchema.extend({
  mode: z.string(),
  model: z.object({ provider: z.string(), name: z.string() }),
  /** The base commit the workspace was checked out at. */
  commit: z.string(),
  usage: UsageSchema,
  steps: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  version: z.string(),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;
