import type { ServerResponse } from "node:http";
import type { ScriptEntry } from "../scripted/script.js";
import { renderMessage, renderMessageEvents, signThinking } from "./anthropic-render.js";
import { eventStreamResponse, jsonResponse, MockHttpServer, type RecordedRequest, sendJson } from "./http.js";

/** How a mock Anthropic Messages API server behaves; every field is optional. */
export interface MockAnthropicOptions {
  /** The turns and faults to play, one per model call, in order (more can be `push`ed later). */
  script?: ScriptEntry[];
  /** Requests without the key (`x-api-key`, or `Authorization: Bearer`, which SDK 1.x sends) get a 401. */
  apiKey?: string;
  /** Served model ids; others get a 404. Default: any. */
  models?: string[];
  /** The port to listen on (127.0.0.1); default a free one (read it from `origin`). */
  port?: number;
}

interface MessagesRequest {
  model?: string;
  max_tokens?: unknown;
  stream?: boolean;
  messages?: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  thinking?: { type: string };
  tool_choice?: { type: string; name?: string };
}

/**
 * A mock of Anthropic's Messages API on 127.0.0.1 (non-streamed and streamed answers), checking what the real API
 * checks and what clients get wrong: the key and version headers, `max_tokens`, known models, and — with thinking
 * on — that thinking blocks come back unchanged with the signature they were given, first in an assistant turn
 * that used tools.
 */
export class MockAnthropicServer extends MockHttpServer {
  constructor(private readonly options: MockAnthropicOptions = {}) {
    super(options.script, options.port);
  }

  /** The base URL the SDK takes (it appends /v1/messages). */
  get baseUrl(): string {
    return this.origin;
  }

  get messageBodies(): string[] {
    return this.requests.filter((r) => r.path === "/v1/messages").map((r) => r.body);
  }

  protected faultBody(status: number): unknown {
    const type = status === 529 ? "overloaded_error" : status === 429 ? "rate_limit_error" : "api_error";
    return { type: "error", error: { type, message: `Injected ${status}` } };
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { apiKey } = this.options;
    const headers = request.headers;
    if (
      apiKey !== undefined &&
      headers["x-api-key"] !== apiKey &&
      headers.authorization !== `Bearer ${apiKey}`
    ) {
      return sendError(res, 401, "authentication_error", "invalid x-api-key");
    }
    if (!request.headers["anthropic-version"]) {
      return sendError(res, 400, "invalid_request_error", "anthropic-version: header is required");
    }
    if (request.method === "GET" && request.path === "/v1/models") {
      const data = (this.options.models ?? ["claude-sonnet-4-6"]).map((id) => ({
        type: "model",
        id,
        display_name: id,
      }));
      return sendJson(res, 200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    }
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      return sendError(res, 404, "not_found_error", "Not found");
    }
    let body: MessagesRequest;
    try {
      body = JSON.parse(request.body);
    } catch {
      return sendError(res, 400, "invalid_request_error", "The request body is not valid JSON.");
    }
    const invalid = validate(body, this.options.models);
    if (invalid) return sendError(res, invalid.status, invalid.type, invalid.message);
    const forcedTool = body.tool_choice?.type === "tool" ? body.tool_choice.name : undefined;
    const played = await this.playNext(res, (turn) => {
      const message = renderMessage(turn, {
        model: String(body.model),
        promptTokens: Math.ceil(request.body.length / 4),
        ...(forcedTool ? { forcedTool } : {}),
      });
      if (!body.stream) return jsonResponse(200, message);
      return eventStreamResponse(renderMessageEvents(message));
    });
    if (!played) sendError(res, 400, "invalid_request_error", this.exhausted(this.messageBodies.length));
  }
}

/** Starts a mock Anthropic Messages API server (streaming or not) that plays a script; `close` it when done. */
export async function startMockAnthropicServer(
  options: MockAnthropicOptions = {},
): Promise<MockAnthropicServer> {
  return new MockAnthropicServer(options).start();
}

function validate(
  body: MessagesRequest,
  models: string[] | undefined,
): { status: number; type: string; message: string } | undefined {
  const bad = (message: string) => ({ status: 400, type: "invalid_request_error", message });
  if (typeof body.max_tokens !== "number") return bad("max_tokens: Field required");
  if (models && !models.includes(String(body.model))) {
    return { status: 404, type: "not_found_error", message: `model: ${body.model}` };
  }
  const messages = body.messages ?? [];
  if (messages.length === 0) return bad("messages: at least one message is required");
  for (const [index, message] of messages.entries()) {
    if (message.role !== "assistant" || typeof message.content === "string") continue;
    for (const block of message.content) {
      if (block.type === "thinking" && block.signature !== signThinking(String(block.thinking))) {
        return bad(`messages.${index}.content: Invalid \`signature\` in \`thinking\` block`);
      }
    }
    const usesTools = message.content.some((block) => block.type === "tool_use");
    const first = message.content[0]?.type;
    if (
      body.thinking?.type === "enabled" &&
      usesTools &&
      first !== "thinking" &&
      first !== "redacted_thinking"
    ) {
      return bad(
        `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`,
      );
    }
  }
  return undefined;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: "error", error: { type, message } });
}
