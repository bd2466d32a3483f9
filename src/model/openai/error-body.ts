/**
 * The SDK reads an error's message from `body.error` (OpenAI's shape). vLLM and SGLang answer
 * `{"object": "error", "message": …, "type": …, "code": …}`, FastAPI `{"detail": …}`, and some servers plain text;
 * with those the SDK would only say "400 status code (no body)". This fetch wraps such bodies as `{error: …}` so the
 * server's own words reach our typed errors.
 */
export function errorNormalizingFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    headers.delete("content-encoding");
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify(normalizeErrorBody(text)), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

export function normalizeErrorBody(text: string): { error: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: { message: text.trim() || "no message" } };
  }
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const body = json as Record<string, unknown>;
    if (body.error !== null && typeof body.error === "object")
      return body as { error: Record<string, unknown> };
    if (typeof body.error === "string") return { error: { ...body, message: body.error } };
    if (typeof body.message === "string") return { error: body };
    if (body.detail !== undefined) {
      return {
        error: { message: typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail) },
      };
    }
  }
  return { error: { message: text } };
}
