import { z } from "zod";

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

/** The known key a typo most likely meant: same letters ignoring case, or at most about a third of them off. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** Edits from one name to the other: a letter inserted, deleted, replaced, or two neighbours swapped. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
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
