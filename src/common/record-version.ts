import { z } from "zod";

/**
 * A record's schema for reading: the record as this release writes it (`schema`, with `version: <n>`), or as it was
 * written before records had a `version` (the same fields, no version), upgraded by adding it. For records whose only
 * change at their first version was the `version` field; a record that changed more says how in its own legacy
 * schema (e.g. `loop/legacy-record.ts`).
 */
export function orUnversioned<Shape extends z.ZodRawShape & { version: z.ZodLiteral<number> }>(
  schema: z.ZodObject<Shape>,
) {
  const unversioned = schema.extend({ version: z.undefined().optional() });
  return z.union([
    schema,
    unversioned.transform((record) => schema.parse({ ...record, version: schema.shape.version.value })),
  ]);
}
