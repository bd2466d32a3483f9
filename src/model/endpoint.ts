import { redactUrl, urlSecrets } from "../common/redact-url.js";

/**
 * A configured base URL as the SDKs can use it. `fetch` refuses URLs with credentials, and the SDKs append their
 * paths to the base URL as text (a query in it would swallow them), so:
 * - the userinfo (`http://user:password@host/v1`) is sent as HTTP Basic authorization, as curl does; it takes
 *   the place of the API key's header;
 * - the query (`?api-version=…&api-key=…`) is sent with every request.
 * `shown` is the URL for messages and records, its credentials redacted; `secrets` are the values they had.
 */
export interface Endpoint {
  /** Scheme, host, port and path: what the SDK is given as its base URL. */
  url: string;
  /** Query parameters to send with every request. */
  query: Record<string, string>;
  /** `Basic …`, when the URL carries userinfo. */
  authorization?: string;
  shown: string;
  secrets: string[];
}

export function endpointOf(baseUrl: string): Endpoint {
  const shown = redactUrl(baseUrl);
  if (!URL.canParse(baseUrl)) return { url: baseUrl, query: {}, shown, secrets: urlSecrets(baseUrl) };
  const parsed = new URL(baseUrl);
  const hasUserinfo = parsed.username !== "" || parsed.password !== "";
  if (!hasUserinfo && parsed.search === "" && parsed.hash === "") {
    // Nothing to take out: the URL exactly as configured.
    return { url: baseUrl, query: {}, shown, secrets: [] };
  }
  const query = Object.fromEntries(parsed.searchParams);
  const secrets = urlSecrets(baseUrl);
  let authorization: string | undefined;
  if (hasUserinfo) {
    const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    const encoded = Buffer.from(user).toString("base64");
    authorization = `Basic ${encoded}`;
    secrets.push(encoded);
  }
  parsed.username = "";
  parsed.password = "";
  parsed.search = "";
  parsed.hash = "";
  return { url: parsed.href, query, ...(authorization ? { authorization } : {}), shown, secrets };
}

/** The SDK client options for an endpoint: base URL, query, and the Basic authorization header if any. */
export function clientOptionsOf(endpoint: Endpoint): {
  baseURL: string;
  defaultQuery?: Record<string, string>;
  defaultHeaders?: Record<string, string>;
} {
  return {
    baseURL: endpoint.url,
    ...(Object.keys(endpoint.query).length > 0 ? { defaultQuery: endpoint.query } : {}),
    ...(endpoint.authorization ? { defaultHeaders: { Authorization: endpoint.authorization } } : {}),
  };
}
