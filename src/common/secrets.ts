/**
 * Keeping secrets out of trajectories and logs. Two mechanisms:
 * - structural: keys that name a secret (`apiKey`, `authorization`, `token`, …) have their values replaced;
 * - textual: known secret values (the configured API key, API keys and tokens in the environment) are replaced
 *   wherever they appear in text, e.g. when a command prints the environment.
 */
export const REDACTED = "[REDACTED]";

// Names like `apiKey`, `OPENAI_API_KEY`, `authorization`, `githubToken`; not counters such as `maxTokens`.
const SECRET_KEY = /(api[_-]?key|authorization|secret|password|passwd|credential|cookie)|token$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy of `value` with the values of secret-named keys replaced. */
export function redactSecretKeys<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] =
        isSecretKey(key) && item !== undefined && item !== null && item !== "" ? REDACTED : redactValue(item);
    }
    return out;
  }
  return value;
}

/** Secret values found in an environment: variables whose names look secret, with values long enough to matter. */
export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value && value.length >= 8 && /(API_KEY|TOKEN|SECRET|PASSWORD)/i.test(key)) values.push(value);
  }
  return values;
}

/** Replaces every occurrence of the given secret values in `text`. Values shorter than 8 characters are ignored. */
export class SecretScrubber {
  private readonly values: string[];

  constructor(values: Iterable<string | undefined>) {
    const unique = new Set<string>();
    for (const value of values) if (value && value.length >= 8) unique.add(value);
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...unique].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.values.length === 0;
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }
}
