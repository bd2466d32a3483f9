import { z } from "zod";

/**
 * The Agent Trajectory Interchange Format (ATIF, RFC 0001) as far as we read and write it: v1.6, with v1.x files
 * (harbor's runner writes "ATIF-v1.5") accepted on import. Unknown fields are kept loose.
 */
export const ATIF_VERSION = "ATIF-v1.6";

const ContentPartSchema = z.object({ type: z.string(), text: z.string().optional() }).loose();
export const AtifContentSchema = z.union([z.string(), z.array(ContentPartSchema)]);

export const AtifToolCallSchema = z.object({
  tool_call_id: z.string(),
  function_name: z.string(),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

export const AtifStepSchema = z
  .object({
    step_id: z.number().int(),
    timestamp: z.string().optional(),
    source: z.enum(["system", "user", "agent"]),
    model_name: z.string().optional(),
    message: AtifContentSchema.default(""),
    reasoning_content: z.string().nullable().optional(),
    tool_calls: z.array(AtifToolCallSchema).nullable().optional(),
    observation: z
      .object({
        results: z.array(
          z
            .object({
              source_call_id: z.string().nullable().optional(),
              content: AtifContentSchema.nullable().optional(),
            })
            .loose(),
        ),
      })
      .loose()
      .nullable()
      .optional(),
    metrics: z
      .object({
        prompt_tokens: z.number().optional(),
        completion_tokens: z.number().optional(),
        cached_tokens: z.number().optional(),
        cost_usd: z.number().nullable().optional(),
      })
      .loose()
      .nullable()
      .optional(),
    extra: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose();
export type AtifStep = z.infer<typeof AtifStepSchema>;

export const AtifTrajectorySchema = z
  .object({
    schema_version: z.string().regex(/^ATIF-v1\.\d+$/, "an ATIF v1.x schema_version"),
    session_id: z.string(),
    agent: z
      .object({
        name: z.string(),
        version: z.string(),
        model_name: z.string().optional(),
        tool_definitions: z.array(z.unknown()).nullable().optional(),
        extra: z.record(z.string(), z.unknown()).nullable().optional(),
      })
      .loose(),
    steps: z.array(AtifStepSchema),
    notes: z.string().optional(),
    final_metrics: z.record(z.string(), z.unknown()).nullable().optional(),
    extra: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose();
export type AtifTrajectory = z.infer<typeof AtifTrajectorySchema>;

/** Text of a v1.6 message or observation: a string, or the text parts joined by newlines (images left out). */
export function atifText(content: z.infer<typeof AtifContentSchema> | null | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content
    .filter((part) => part.type === "text")
    .map((part) => part.text ?? "")
    .join("\n");
}
