import { z } from "zod";
import { closest } from "../common/closest.js";

/**
 * What is wrong with a configuration layer, key by key: the key's path (`model.maxTokens`) and what was expected
 * there; an unknown key with the known key it is closest to, or the keys its section has. Values are never quoted
 * (one may be an API key).
 */
export interface ConfigProblems {
  /** `model.maxTokens: expected number, received string; model.temprature: unknown key (did you mean …?)` */
  text: string;
  /** The key paths at fault, in order. */
  keys: string[];
}

export function describeConfigIssues(error: z.ZodError, schema: z.ZodType): ConfigProblems {
  const problems: string[] = [];
  const keys: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = Object.keys(objectAt(schema, issue.path)?.shape ?? {});
      for (const key of issue.keys) {
        const path = [...issue.path, key].join(".");
        keys.push(path);
        problems.push(`${path}: unknown key ${knownKeyHint(key, known, issue.path.join("."))}`);
      }
      continue;
    }
    const path = issue.path.join(".") || "(the whole file)";
    keys.push(path);
    // zod's "Invalid input: expected number, …", "Too small: expected number to be >0": the expectation is the news.
    problems.push(`${path}: ${issue.message.replace(/^[A-Z][a-z]+(?: [a-z]+)?: (?=expected)/, "")}`);
  }
  return { text: problems.join("; "), keys };
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function knownKeyHint(key: string, known: readonly string[], section: string): string {
  const prefix = section ? `${section}.` : "";
  const close = closest(key, known);
  if (close) return `(did you mean ${prefix}${close}?)`;
  return `(the keys ${section ? `of ${section}` : "at the top level"} are ${listOf(known)})`;
}

/** The object schema at `path` (through optional and default wrappers), if there is one. */
function objectAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!(current instanceof z.ZodObject)) return undefined;
    current = unwrap(current.shape[key as string]);
  }
  return current instanceof z.ZodObject ? current : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}
