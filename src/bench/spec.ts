import { z } from "zod";

/**
 * What a benchmark run does, as data: stored in run.json, so any process (this one, or a queue worker on another
 * machine sharing the run directory) can rebuild the work for an item. Secrets are never part of it: each process
 * takes API keys from its own environment and configuration.
 */
export const DatasetSpecSchema = z.object({
  path: z.string(),
  candidates: z.string().optional(),
  split: z.string().optional(),
  instances: z.array(z.string()).optional(),
});

export const RoleSpecSchema = z.object({
  /** Model name; absent: the configured model. */
  name: z.string().optional(),
  baseUrl: z.string().optional(),
});
export type RoleSpec = z.infer<typeof RoleSpecSchema>;

export const ReviewRunSpecSchema = z.object({
  kind: z.literal("review"),
  dataset: DatasetSpecSchema,
  mode: z.enum(["agentic", "single-turn-diff", "single-turn-context"]),
  reviewer: RoleSpecSchema,
  maxSteps: z.number().int().positive().optional(),
  /** `owner/name=/path` local clones. */
  repoOverrides: z.array(z.string()),
  /** Tries per item for infrastructure failures. */
  attempts: z.number().int().positive(),
  /** Pause before the first retry (it grows with each attempt). */
  retryDelayMs: z.number().int().nonnegative().optional(),
  sandbox: z.enum(["bwrap", "local"]).optional(),
});
export type ReviewRunSpec = z.infer<typeof ReviewRunSpecSchema>;

export const RunSpecSchema = z.discriminatedUnion("kind", [ReviewRunSpecSchema]);
export type RunSpec = z.infer<typeof RunSpecSchema>;
