import { randomUUID } from "node:crypto";
import type { ModelDescriptor, ToolSpec } from "../model/types.js";
import { VERSION } from "../version.js";
import { type HeaderEvent, TRAJECTORY_FORMAT, TRAJECTORY_VERSION } from "./schema.js";

export interface TrajectoryHeaderInput {
  /** The trajectory's id (a new random one when absent). */
  id?: string;
  createdAt: Date | string;
  /** The role that ran (`reviewer`, `generator`); an empty role is left out. */
  role?: string | undefined;
  model: ModelDescriptor;
  tools: readonly ToolSpec[];
  budget: Record<string, unknown>;
  config?: unknown;
  meta?: Record<string, unknown> | undefined;
}

/**
 * The first line of every trajectory, written by the agent loop, by a review decided without a model and by the
 * importers: the format and its version, the versions of swe-review and Node that wrote it, and what the run had.
 */
export function trajectoryHeader(input: TrajectoryHeaderInput): HeaderEvent {
  return {
    type: "header",
    format: TRAJECTORY_FORMAT,
    version: TRAJECTORY_VERSION,
    id: input.id ?? randomUUID(),
    createdAt: typeof input.createdAt === "string" ? input.createdAt : input.createdAt.toISOString(),
    ...(input.role ? { role: input.role } : {}),
    versions: { sweReview: VERSION, node: process.version },
    model: input.model,
    tools: [...input.tools],
    budget: input.budget,
    ...(input.config === undefined ? {} : { config: input.config }),
    ...(input.meta ? { meta: input.meta } : {}),
  };
}
