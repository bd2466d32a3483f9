import type { ServerResponse } from "node:http";
import type { ScriptEntry, ScriptTurn } from "../scripted/script.js";
import { renderCompletion, type ToolCallMode } from "./completion.js";
import { renderCompletionChunks } from "./completion-stream.js";
import {
  eventStreamResponse,
  jsonResponse,
  MockHttpServer,
  type MockResponder,
  type MockResponse,
  type RecordedRequest,
  send,
  sendJson,
} from "./http.js";

export type { RecordedRequest } from "./http.js";

/** How the mock OpenAI-compatible (vLLM-like) server behaves; every field is optional. */
export interface MockServerOptions {
  /** The turns and faults to play, one per model call, in order (more can be `push`ed later). */
  script?: ScriptEntry[];
  /**
   * `native` (default): calls parsed into `tool_calls`, as vLLM with a tool parser; `hermes`: raw text, as
   * without one.
   */
  mode?: ToolCallMode;
  /** Served model names. Requests for other models get vLLM's 404. Default: any name is served. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** The message field reasoning is sent in; default `reasoning`. */
  reasoningField?: "reasoning" | "reasoning_content";
  /** Started without `--reasoning-parser`: reasoning stays in `content` as `<think>…</think>`. */
  noReasoningParser?: boolean;
  /**
   * The model's context length (vLLM `--max-model-len`): reported as `max_model_len` in `/v1/models`, and prompts
   * longer than this many estimated tokens get vLLM's context-length 400.
   */
  contextLength?: number;
  /**
   * In `hermes` mode (no tool parser), what a request with tools gets: vLLM's 400 ("auto" tool choice requires
   * --enable-auto-tool-choice …; the default) or an answer that ignores the tools (llama.cpp without --jinja).
   */
  toolsWithoutParser?: "reject" | "ignore";
  /** Answer requests with `response_format` with a 400, as servers without structured output do. */
  rejectResponseFormat?: boolean;
  /** Answers calls the script does not cover, from the request (see `MockResponder`). */
  respond?: MockResponder;
  /**
   * Recognises a client's side call (a coding agent's title or next-speaker request) by its body and answers it with
   * the turn returned, outside the script: the script's entries stay for the agent's main turns, whatever order the
   * side calls come in. Undefined: the request is a main turn.
   */
  sideCall?: (body: Record<string, unknown>) => ScriptTurn | undefined;
  /** The port to listen on (127.0.0.1); default a free one (read it from `origin`). */
  port?: number;
}

interface ChatRequest {
  model?: unknown;
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
}

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 that behaves like vLLM serving a Qwen-family model: it plays a
 * script of assistant turns and faults, one entry per chat-completion request, and records every request. A request
 * with `stream: true` gets the same answer as server-sent chunks (completion-stream.ts). Used by
 * tests, `doctor` checks, examples and trajectory replay.
 */
export class MockOpenAIServer extends MockHttpServer {
  constructor(private readonly options: MockServerOptions = {}) {
    super(options.script, options.port);
    this.respond = options.respond;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Chat-completion request bodies received, in order. */
  get chatBodies(): string[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body);
  }

  protected faultBody(status: number): unknown {
    return { error: { message: `Injected ${status}`, type: "mock", code: status } };
  }

  protected async route(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { method, path, body } = request;
    if (method === "GET" && path === "/health") return sendJson(res, 200, {});
    // vLLM's --api-key guards every /v1 route.
    if (
      this.options.apiKey !== undefined &&
      request.headers.authorization !== `Bearer ${this.options.apiKey}`
    ) {
      return sendJson(res, 401, {
        error: {
          message: "Incorrect API key provided.",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    }
    if (method === "GET" && path === "/v1/models") return sendJson(res, 200, this.modelList());
    if (method !== "POST" || path !== "/v1/chat/completions") {
      return sendJson(res, 404, { detail: "Not Found" });
    }
    let chat: ChatRequest;
    try {
      chat = JSON.parse(body);
    } catch {
      return sendVllmError(res, 400, "BadRequestError", "The request body is not valid JSON.");
    }
    if (this.options.models && !this.options.models.includes(String(chat.model))) {
      return sendVllmError(res, 404, "NotFoundError", `The model \`${chat.model}\` does not exist.`);
    }
    const hasTools = Array.isArray(chat.tools) && chat.tools.length > 0;
    // vLLM defaults tool_choice to "auto" when tools are given.
    const toolChoice = chat.tool_choice ?? (hasTools ? "auto" : "none");
    const mode = this.options.mode ?? "native";
    if (
      mode === "hermes" &&
      toolChoice === "auto" &&
      (this.options.toolsWithoutParser ?? "reject") === "reject"
    ) {
      return sendVllmError(
        res,
        400,
        "BadRequestError",
        '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      );
    }
    if (this.options.rejectResponseFormat && chat.response_format !== undefined) {
      return sendVllmError(res, 400, "BadRequestError", "response_format is not supported by this server.");
    }
    const promptTokens = Math.ceil(body.length / 4);
    if (this.options.contextLength !== undefined && promptTokens > this.options.contextLength) {
      return sendVllmError(
        res,
        400,
        "BadRequestError",
        `This model's maximum context length is ${this.options.contextLength} tokens. However, you requested ${promptTokens} tokens in the messages, Please reduce the length of the messages.`,
      );
    }
    const render = (turn: ScriptTurn): MockResponse => {
      const completion = renderCompletion(turn, {
        parseToolCalls: mode === "native" && hasTools && toolChoice !== "none",
        model: String(chat.model ?? "mock-model"),
        reasoningField: this.options.reasoningField ?? "reasoning",
        reasoningParser: !this.options.noReasoningParser,
        promptTokens,
      });
      if (chat.stream !== true) return jsonResponse(200, completion);
      const chunks = renderCompletionChunks(completion, {
        includeUsage: chat.stream_options?.include_usage === true,
      });
      return eventStreamResponse(chunks, { "cache-control": "no-cache" });
    };
    const side = this.options.sideCall?.(chat as Record<string, unknown>);
    if (side) return send(res, render(side));
    const played = await this.playNext(res, render);
    if (!played) {
      sendVllmError(res, 400, "BadRequestError", this.exhausted(this.chatBodies.length));
    }
  }

  private modelList(): Record<string, unknown> {
    const names = this.options.models ?? ["mock-model"];
    return {
      object: "list",
      data: names.map((id) => ({
        id,
        object: "model",
        owned_by: "vllm",
        root: id,
        parent: null,
        ...(this.options.contextLength === undefined ? {} : { max_model_len: this.options.contextLength }),
      })),
    };
  }
}

/**
 * Starts a mock OpenAI-compatible chat-completions server that answers like vLLM (streaming or not, `/v1/models`)
 * from a script; `close` it when done.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockOpenAIServer> {
  return new MockOpenAIServer(options).start();
}

/** vLLM's error body shape. */
function sendVllmError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { object: "error", message, type, param: null, code: status });
}
