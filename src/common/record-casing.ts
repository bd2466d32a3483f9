/**
 * The keys of a record's object, deeply, in snake_case (`retryDelayMs` → `retry_delay_ms`) or back in camelCase: for
 * records that keep an in-memory settings object as they are (a bench run's spec in `run.json`, `revise.json`),
 * whose keys are all field names, never data. Values (strings, arrays of strings) are left as they are.
 */
export function snakeCaseKeys(value: unknown): unknown {
  return renameKeys(value, (key) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`));
}

/** The inverse of `snakeCaseKeys()`; keys already in camelCase stay as they are (a record of an earlier release). */
export function camelCaseKeys(value: unknown): unknown {
  return renameKeys(value, (key) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()));
}

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [rename(key), renameKeys(item, rename)]),
  );
}
