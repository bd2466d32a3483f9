import { z } from "zod";
import type { Logger } from "../common/logger.js";
import type { ToolSpec } from "../model/types.js";

/** What a tool call produced: the text the model sees next, whether it is an error, and whether the run ends. */
export interface ToolResult {
  output: string;
  isError?: boolean;
  /** Ends the agent's run after this call; the value is the agent's final message (the `finish` tool). */
  finish?: string;
}

/** What a tool's `run` is given besides its arguments. */
export interface ToolContext {
  /** Aborts when the run is aborted: a tool should stop and return. */
  signal: AbortSignal;
  /** The model's id for this call. */
  callId: string;
  /** The step (model turn) the call belongs to, from 1. */
  step: number;
  logger: Logger;
}

/** A tool: a name, a description and a zod schema the model's arguments are validated against. */
export interface Tool<Args = unknown> {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType<Args>;
  /** The JSON schema sent to the model. Derived from `schema` when absent; set it to match a trained interface exactly. */
  readonly parameters?: Record<string, unknown>;
  run(args: Args, context: ToolContext): Promise<ToolResult> | ToolResult;
}

/** Defines a tool with its argument type inferred from the schema. */
export function defineTool<S extends z.ZodType>(tool: {
  name: string;
  description: string;
  schema: S;
  parameters?: Record<string, unknown>;
  run(args: z.output<S>, context: ToolContext): Promise<ToolResult> | ToolResult;
}): Tool<z.output<S>> {
  return tool as Tool<z.output<S>>;
}

/** The tool as described to the model. */
export function toolSpec(tool: Tool<unknown>): ToolSpec {
  return {
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters ?? jsonSchemaOf(tool.schema),
  };
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  return rest;
}
