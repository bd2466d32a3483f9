import { z } from "zod";

/**
 * Argument schemas of the OpenHands tools (SDK 1.16.1): the JSON schemas exactly as the SWE-Review models saw them
 * (key order `type, description, enum/items`; no defaults or titles; `summary` last on every tool; `security_risk`
 * required on the non-read-only tools when advertised), and the zod schemas arguments are validated with.
 */

export interface SchemaOptions {
  /** Advertise `security_risk` (as at inference) or not (as recorded in the training data). */
  securityRisk: boolean;
}

const SUMMARY = {
  type: "string",
  description:
    'A short summary (about 10 words) of what this call does, e.g. "List the files under the tests folder".',
};

const SECURITY_RISK = {
  type: "string",
  description:
    "How risky this action is: LOW for read-only actions, MEDIUM for changes inside the project, HIGH for changes to the system or anything destructive; UNKNOWN if unsure.",
  enum: ["UNKNOWN", "LOW", "MEDIUM", "HIGH"],
};

type Properties = Record<string, Record<string, unknown>>;

/** `{type: object, properties, required}` with `security_risk` and `summary` appended the way the SDK does. */
export function objectSchema(
  properties: Properties,
  required: string[],
  options: SchemaOptions & { readOnly: boolean },
): Record<string, unknown> {
  const withMeta: Properties = { ...properties };
  const needed = [...required];
  if (options.securityRisk && !options.readOnly) {
    withMeta.security_risk = SECURITY_RISK;
    needed.push("security_risk");
  }
  withMeta.summary = SUMMARY;
  const schema: Record<string, unknown> = { type: "object", properties: withMeta };
  if (needed.length > 0) schema.required = needed;
  return schema;
}

/** Drops `security_risk` and `summary` (accepted on every tool, never used), then validates strictly. */
export function withMetaStripped<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess((value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const { security_risk: _risk, summary: _summary, ...rest } = value as Record<string, unknown>;
    return rest;
  }, z.object(shape).strict());
}

/** Booleans as models send them: true/false, or "true"/"false". */
export const looseBoolean = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean(),
);

/** Numbers, also when sent as numeric strings. */
export const looseNumber = z.preprocess(
  (value) =>
    typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value,
  z.number(),
);

/** Lists and objects, also when sent JSON-encoded (e.g. `"view_range": "[1, 5]"`). */
export function jsonDecoded<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);
}
