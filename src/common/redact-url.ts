/**
 * Credentials inside URLs: the userinfo (`https://user:password@host`) and query or fragment parameters whose names
 * say they hold a key (`?api-key=…`, `&access_token=…`, `&X-Amz-Signature=…`). Every URL written to a file or
 * printed goes through `redactUrl` (or `redactUrlsIn` for free text), so the same URL always reads the same way:
 * `http://[REDACTED]@host:8000/v1?api-key=[REDACTED]&api-version=2024-10-01`.
 */
export const REDACTED = "[REDACTED]";

// Name parts (split at `-`, `_`, `.` and camelCase) that mark a parameter as secret. `key` covers api-key, apiKey,
// key (Google), `sig` Azure SAS, `signature`/`credential`/`token` S3 presigned URLs.
const SECRET_PARTS = new Set([
  "key",
  "apikey",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "secret",
  "clientsecret",
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "sig",
  "signature",
  "auth",
  "authorization",
  "credential",
  "credentials",
  "jwt",
  "session",
  "sessionid",
  "cookie",
]);

/** Whether a query parameter named `name` holds a credential. `max_tokens`, `author`, `keyword` do not. */
export function isSecretParam(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {}
  const parts = decoded
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return parts.some((part) => SECRET_PARTS.has(part));
}

interface UrlParts {
  /** `scheme://` */
  scheme: string;
  /** The userinfo before the host's `@`, if any. */
  userinfo: string | undefined;
  /** Host, port and path. */
  rest: string;
  /** The query without `?`, if any. */
  query: string | undefined;
  /** The fragment without `#`, if any. */
  fragment: string | undefined;
}

/** Splits a URL textually (it may be malformed, or already redacted), never normalizing what it does not change. */
function splitUrl(url: string): UrlParts | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return undefined;
  let tail = url.slice(scheme.length);
  let fragment: string | undefined;
  const hash = tail.indexOf("#");
  if (hash >= 0) {
    fragment = tail.slice(hash + 1);
    tail = tail.slice(0, hash);
  }
  let query: string | undefined;
  const mark = tail.indexOf("?");
  if (mark >= 0) {
    query = tail.slice(mark + 1);
    tail = tail.slice(0, mark);
  }
  const slash = tail.indexOf("/");
  const authority = slash >= 0 ? tail.slice(0, slash) : tail;
  const at = authority.lastIndexOf("@");
  return {
    scheme,
    userinfo: at >= 0 ? authority.slice(0, at) : undefined,
    rest: at >= 0 ? tail.slice(at + 1) : tail,
    query,
    fragment,
  };
}

function redactParams(params: string): string {
  return params
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      return isSecretParam(name) && pair.length > eq + 1 ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
}

/** The URL with its userinfo and secret parameters replaced; anything that is not a URL comes back unchanged. */
export function redactUrl(url: string): string {
  const parts = splitUrl(url);
  if (!parts) return url;
  return (
    parts.scheme +
    (parts.userinfo === undefined ? "" : `${REDACTED}@`) +
    parts.rest +
    (parts.query === undefined ? "" : `?${redactParams(parts.query)}`) +
    (parts.fragment === undefined ? "" : `#${redactParams(parts.fragment)}`)
  );
}

// A URL in free text (a message, a log line, a JSON line): it ends at whitespace, quotes, angle brackets,
// backslashes (JSON escapes) and backticks.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\`]+/gi;

// Punctuation that ends a sentence rather than the URL before it.
const TRAILING = /[.,;:!?)}]+$/;

/** `text` with every URL in it redacted. */
export function redactUrlsIn(text: string): string {
  if (!text.includes("://")) return text;
  return text.replace(URL_IN_TEXT, (match) => {
    const trailing = TRAILING.exec(match)?.[0] ?? "";
    return redactUrl(match.slice(0, match.length - trailing.length)) + trailing;
  });
}

/** Whether a URL (as `redactUrl` writes it) had credentials taken out. */
export function isRedactedUrl(url: string): boolean {
  return url.includes(REDACTED);
}

/**
 * The credentials the URLs in `text` (a URL, or text containing some) carry, as they may appear elsewhere (a
 * server echoing them, an error quoting them): each value both as written in the URL (percent-encoded) and decoded.
 */
export function urlSecrets(text: string | undefined): string[] {
  if (!text?.includes("://")) return [];
  const values = new Set<string>();
  for (const [match] of text.matchAll(URL_IN_TEXT)) {
    const trailing = TRAILING.exec(match)?.[0] ?? "";
    for (const value of credentialsOf(match.slice(0, match.length - trailing.length))) values.add(value);
  }
  return [...values];
}

function credentialsOf(url: string): string[] {
  const parts = splitUrl(url);
  if (!parts) return [];
  const raw: string[] = [];
  if (parts.userinfo !== undefined) {
    const colon = parts.userinfo.indexOf(":");
    raw.push(parts.userinfo);
    if (colon >= 0) raw.push(parts.userinfo.slice(0, colon), parts.userinfo.slice(colon + 1));
  }
  for (const params of [parts.query, parts.fragment]) {
    for (const pair of params?.split("&") ?? []) {
      const eq = pair.indexOf("=");
      if (eq >= 0 && isSecretParam(pair.slice(0, eq))) raw.push(pair.slice(eq + 1));
    }
  }
  const values = new Set<string>();
  for (const value of raw) {
    if (!value) continue;
    values.add(value);
    try {
      values.add(decodeURIComponent(value.replace(/\+/g, " ")));
      values.add(decodeURIComponent(value));
    } catch {}
  }
  return [...values];
}
