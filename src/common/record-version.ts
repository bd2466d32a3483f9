import { z } from "zod";

/**
 * A record's schema for reading: the record as this release writes it (`schema`, with `version: <n>`), or as it was
 * written before records had a `version` (the same fields, no version), upgraded by adding it. `earlier` replaces
 * fields whose unversioned form differs, each with a schema that reads the old form as the new one (e.g. a usage's
 * `UsageRecordReadSchema`). A record that changed more says how in its own legacy schema (e.g.
 * `loop/legacy-record.ts`).
 */
export function orUnversioned<Shape extends z.ZodRawShape & { version: z.ZodLiteral<number> }>(
  schema: z.ZodObject<Shape>,
  earlier: z.ZodRawShape = {},
) {
  const unversioned = schema.extend({ ...earlier, version: z.undefined().optional() });
  return z.union([
    schema,
    unversioned.transform((record) => schema.parse({ ...record, version: schema.shape.version.value })),
  ]);
}
