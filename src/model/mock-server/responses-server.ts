import type { ServerResponse } from "node:http";
import type { ScriptEntry } from "../scripted/script.js";
import { eventStreamResponse, jsonResponse, MockHttpServer, type RecordedRequest, sendJson } from "./http.js";
import { renderResponse, renderResponseEvents } from "./responses-render.js";

/** How a mock OpenAI Responses API server behaves; every field is optional. */
export interface MockResponsesOptions {
  /** The turns and faults to play, one per model call, in order (more can be `push`ed later). */
  script?: ScriptEntry[];
  /** Requests without `Authorization: Bearer <apiKey>` get the API's 401. */
  apiKey?: string;
  /** Served model ids; others get a 404. Default: any. */
  models?: string[];
  /** The port to listen on (127.0.0.1); default a free one (read it from `origin`). */
  port?: number;
}

interface ResponsesRequest {
  model?: unknown;
  input?: unknown;
  stream?: boolean;
  tools?: Array<{ type?: string; name?: string }>;
}

/**
 * A mock of OpenAI's Responses API (`POST /v1/responses`) on 127.0.0.1, the API Codex speaks: it plays a script of
 * turns and faults, one entry per request, answered as one `response` object or, with `stream: true`, as its
 * server-sent events; it records every request and checks the key, the model and that there is input.
 */
export class MockResponsesServer extends MockHttpServer {
  constructor(private readonly options: MockResponsesOptions = {}) {
    super(options.script, options.port);
  }

  /** The base URL clients take (they append /responses). */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Bodies of the `POST /v1/responses` requests received, in order. */
  get responseBodies(): string[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses").map((r) => r.body);
  }

  protected faultBody(status: number): unknown {
    return { error: { message: `Injected ${status}`, type: "server_error", param: null, code: null } };
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { apiKey, models } = this.options;
    if (apiKey !== undefined && request.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(res, 401, "invalid_request_error", "Incorrect API key provided.", "invalid_api_key");
    }
    if (request.method !== "POST" || request.path !== "/v1/responses") {
      return sendError(
        res,
        404,
        "invalid_request_error",
        `Unknown route: ${request.method} ${request.path}`,
        null,
      );
    }
    let body: ResponsesRequest;
    try {
      body = JSON.parse(request.body);
    } catch {
      return sendError(res, 400, "invalid_request_error", "The request body is not valid JSON.", null);
    }
    if (typeof body.model !== "string" || body.model === "") {
      return sendError(
        res,
        400,
        "invalid_request_error",
        "Missing required parameter: 'model'.",
        "missing_required_parameter",
      );
    }
    if (models && !models.includes(body.model)) {
      return sendError(
        res,
        404,
        "invalid_request_error",
        `The model \`${body.model}\` does not exist.`,
        "model_not_found",
      );
    }
    if (
      !(typeof body.input === "string" && body.input !== "") &&
      !(Array.isArray(body.input) && body.input.length > 0)
    ) {
      return sendError(
        res,
        400,
        "invalid_request_error",
        "Missing required parameter: 'input'.",
        "missing_required_parameter",
      );
    }
    const customTools = new Set(
      (body.tools ?? [])
        .filter((tool) => tool.type === "custom" && tool.name)
        .map((tool) => String(tool.name)),
    );
    const played = await this.playNext(res, (turn) => {
      const response = renderResponse(turn, {
        model: String(body.model),
        promptTokens: Math.ceil(request.body.length / 4),
        customTools,
      });
      if (!body.stream) return jsonResponse(200, response);
      return eventStreamResponse(renderResponseEvents(response));
    });
    if (!played) {
      sendError(res, 400, "invalid_request_error", this.exhausted(this.responseBodies.length), null);
    }
  }
}

/** Starts a mock OpenAI Responses API server that plays a script; `close` it when done. */
export async function startMockResponsesServer(
  options: MockResponsesOptions = {},
): Promise<MockResponsesServer> {
  return new MockResponsesServer(options).start();
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  code: string | null,
): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}
