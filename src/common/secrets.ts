import { REDACTED, redactUrlsIn, urlSecrets } from "./redact-url.js";

/**
 * Keeping secrets out of trajectories, logs, records and messages. Two mechanisms:
 * - structural: keys that name a secret (`apiKey`, `authorization`, `token`, …) have their values replaced, and
 *   URLs lose their credentials (userinfo, key-like parameters: see redact-url.ts);
 * - textual: known secret values (the configured API keys, keys and tokens in the environment and on the command
 *   line, the credentials inside configured URLs) are replaced wherever they appear in text, e.g. when a server
 *   echoes a key in its error or a command prints the environment.
 */
export { REDACTED } from "./redact-url.js";

// Names like `apiKey`, `OPENAI_API_KEY`, `authorization`, `githubToken`; not counters such as `maxTokens`.
const SECRET_KEY = /(api[_-]?key|authorization|secret|password|passwd|credential|cookie)|token$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Deep copy of a configuration-like record (a resolved configuration, a run's spec) fit to be written or printed:
 * the values of secret-named keys replaced, and every URL in its strings without its credentials.
 */
export function redactRecord<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactUrlsIn(value);
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

/**
 * Secret values found in an environment: variables whose names look secret, with values long enough to matter, and
 * the credentials inside URLs held by any variable (SWE_REVIEW_BASE_URL, HTTPS_PROXY, …).
 */
export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    if (value.length >= 8 && /(API_KEY|TOKEN|SECRET|PASSWORD)/i.test(key)) values.push(value);
    if (value.includes("://")) values.push(...urlSecrets(value));
  }
  return values;
}

/**
 * Secret values among a command's options (commander's `optsWithGlobals()`): those of secret-named options
 * (`apiKey`, `reviewerApiKey`, …) and the credentials inside URL-valued ones (`baseUrl`, `reviewerBaseUrl`, `queue`).
 */
export function secretValuesFromOptions(options: object): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const strings = (Array.isArray(value) ? value : [value]).filter(
      (item): item is string => typeof item === "string",
    );
    for (const item of strings) {
      if (isSecretKey(key)) values.push(item);
      values.push(...urlSecrets(item));
    }
  }
  return values;
}

/**
 * The same from a raw command line (for the last line of defence, before any option is parsed): values of
 * secret-named flags (`--api-key <v>`, `--reviewer-api-key=<v>`) and the credentials of every URL given.
 */
export function secretValuesFromArgs(argv: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, index) => {
    values.push(...urlSecrets(arg));
    const flag = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag?.[1] || !isSecretKey(flag[1])) return;
    const value = flag[2] ?? argv[index + 1];
    if (value) values.push(value);
  });
  return values;
}

/**
 * Replaces every occurrence of the given secret values in text (as written, percent-encoded and JSON-escaped),
 * then redacts the credentials of every URL in it. Values shorter than 8 characters are not searched for (they
 * would match ordinary words), though URLs lose their credentials whatever their length.
 *
 * `redactUrls: false` keeps URLs as they are, for text that records what an agent saw and wrote (trajectories,
 * reports): a repository's own `?key=YOUR_KEY` stays as the model read it, so requests rebuild exactly, while the
 * values this process knows (keys, the credentials of configured URLs and of URLs in its environment) still go.
 */
export class SecretScrubber {
  private readonly values: string[];
  private readonly redactUrls: boolean;

  constructor(values: Iterable<string | undefined>, options: { redactUrls?: boolean } = {}) {
    this.redactUrls = options.redactUrls ?? true;
    const unique = new Set<string>();
    for (const value of values) {
      if (!value || value.length < 8) continue;
      unique.add(value);
      unique.add(encodeURIComponent(value));
      unique.add(JSON.stringify(value).slice(1, -1));
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...unique].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return this.redactUrls ? redactUrlsIn(out) : out;
  }

  /** A JSON-shaped value with every string in it scrubbed. */
  scrubJson<T>(value: T): T {
    return JSON.parse(this.scrub(JSON.stringify(value))) as T;
  }
}
