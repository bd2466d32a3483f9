import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { ScriptEntry } from "../scripted/script.js";
import { renderGenerateContent, renderGenerateContentEvents } from "./gemini-render.js";
import { eventStreamResponse, jsonResponse, MockHttpServer, type RecordedRequest, sendJson } from "./http.js";

/** How a mock Gemini API server behaves; every field is optional. */
export interface MockGeminiOptions {
  /** The turns and faults to play, one per model call, in order (more can be `push`ed later). */
  script?: ScriptEntry[];
  /** Requests without the key (header `x-goog-api-key`, or `?key=`) get a 401. */
  apiKey?: string;
  /** Served model ids; others get a 404. Default: any. */
  models?: string[];
  /** The port to listen on (127.0.0.1); default a free one (read it from `origin`). */
  port?: number;
}

interface GenerateContentRequest {
  contents?: Array<{ role?: string; parts?: Array<Record<string, unknown>> }>;
}

/** `/v1beta/models/<model>:<method>`: the model and the method asked for. */
const MODEL_CALL = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;

/**
 * A mock of Google's Gemini API (generativelanguage, v1beta) on 127.0.0.1: `generateContent`, and
 * `streamGenerateContent` as server-sent events (`alt=sse`) or a JSON array, each playing the next script entry;
 * `countTokens` and the model list answered from the request. Checks what the real API checks and clients get
 * wrong: the key, known models, non-empty contents with known roles, and that a turn of function responses answers
 * every function call of the model turn before it.
 */
export class MockGeminiServer extends MockHttpServer {
  constructor(private readonly options: MockGeminiOptions = {}) {
    super(options.script, options.port);
  }

  /** The base URL clients take (`GOOGLE_GEMINI_BASE_URL`; the SDK appends `/v1beta/models/…`). */
  get baseUrl(): string {
    return this.origin;
  }

  /** Bodies of the content-generating requests (streamed or not), in order. */
  get generateBodies(): string[] {
    return this.requests.filter((r) => /:(stream)?[gG]enerateContent$/.test(r.path)).map((r) => r.body);
  }

  protected faultBody(status: number): unknown {
    return { error: { code: status, message: `Injected ${status}`, status: statusName(status) } };
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { apiKey } = this.options;
    const query = new URL(request.url, "http://mock").searchParams;
    if (apiKey !== undefined && request.headers["x-goog-api-key"] !== apiKey && query.get("key") !== apiKey) {
      return sendError(res, 401, "API key not valid. Please pass a valid API key.");
    }
    if (request.method === "GET" && request.path === "/v1beta/models") {
      const models = (this.options.models ?? ["gemini-2.5-pro"]).map((id) => ({
        name: `models/${id}`,
        displayName: id,
        supportedGenerationMethods: ["generateContent", "countTokens"],
      }));
      return sendJson(res, 200, { models });
    }
    const call = MODEL_CALL.exec(request.path);
    if (request.method !== "POST" || !call) return sendError(res, 404, `Not found: ${request.path}`);
    const [, model = "", method] = call;
    if (this.options.models && !this.options.models.includes(model)) {
      return sendError(res, 404, `models/${model} is not found for API version v1beta.`);
    }
    let body: GenerateContentRequest;
    try {
      body = JSON.parse(request.body);
    } catch {
      return sendError(res, 400, "Invalid JSON payload received.");
    }
    const invalid = validate(body);
    if (invalid) return sendError(res, 400, invalid);
    if (method === "countTokens") {
      return sendJson(res, 200, { totalTokens: Math.ceil(request.body.length / 4) });
    }
    if (method !== "generateContent" && method !== "streamGenerateContent") {
      return sendError(res, 404, `Method not found: ${method}`);
    }
    const played = await this.playNext(res, (turn) => {
      const response = renderGenerateContent(turn, {
        model,
        promptTokens: Math.ceil(request.body.length / 4),
        responseId: randomBytes(8).toString("hex"),
      });
      if (method === "generateContent") return jsonResponse(200, response);
      if (query.get("alt") === "sse") {
        return eventStreamResponse(renderGenerateContentEvents(response));
      }
      return jsonResponse(200, [response]);
    });
    if (!played) {
      sendError(res, 400, this.exhausted(this.generateBodies.length));
    }
  }
}

/** Starts a mock Gemini API server that plays a script; `close` it when done. */
export async function startMockGeminiServer(options: MockGeminiOptions = {}): Promise<MockGeminiServer> {
  return new MockGeminiServer(options).start();
}

/** What the real API rejects with a 400 (INVALID_ARGUMENT); undefined when the request is fine. */
function validate(body: GenerateContentRequest): string | undefined {
  const contents = body.contents ?? [];
  if (contents.length === 0) return "* GenerateContentRequest.contents: contents is not specified";
  for (const [index, content] of contents.entries()) {
    if (content.role !== undefined && content.role !== "user" && content.role !== "model") {
      return `Please use a valid role: user, model. (contents[${index}].role: ${content.role})`;
    }
    const parts = content.parts ?? [];
    if (parts.length === 0) {
      return `* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.`;
    }
    const responses = parts.filter((part) => "functionResponse" in part).length;
    if (responses === 0) continue;
    const calls = (contents[index - 1]?.parts ?? []).filter((part) => "functionCall" in part).length;
    if (responses !== calls) {
      return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
    }
  }
  return undefined;
}

function statusName(status: number): string {
  if (status === 400) return "INVALID_ARGUMENT";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RESOURCE_EXHAUSTED";
  if (status === 503) return "UNAVAILABLE";
  return "INTERNAL";
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status, message, status: statusName(status) } });
}
