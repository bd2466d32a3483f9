import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isFault, type ScriptEntry, type ScriptFault, type ScriptTurn } from "../scripted/script.js";
import { renderCompletion, type ToolCallMode } from "./completion.js";

export interface MockServerOptions {
  script?: ScriptEntry[];
  mode?: ToolCallMode;
  /** Served model names. Requests for other models get vLLM's 404. Default: any name is served. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  reasoningField?: "reasoning" | "reasoning_content";
  /** When set, prompts longer than this many estimated tokens get vLLM's context-length 400. */
  contextLength?: number;
  port?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received. */
  body: string;
}

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 that plays a script of assistant turns and faults, one entry per
 * chat-completion request, and records every request. Used by tests, examples and trajectory replay.
 */
export class MockOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptEntry[];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly options: MockServerOptions = {}) {
    this.script = [...(options.script ?? [])];
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Script entries not yet played. */
  get remaining(): number {
    return this.script.length;
  }

  /** Chat-completion request bodies received, in order. */
  get chatBodies(): string[] {
    return this.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body);
  }

  push(...entries: ScriptEntry[]): void {
    this.script.push(...entries);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    this.requests.push({ method: req.method ?? "GET", path, headers: { ...req.headers }, body });

    if (req.method === "GET" && path === "/health") return sendJson(res, 200, {});
    if (req.method === "GET" && path === "/v1/models") {
      const names = this.options.models ?? ["mock-model"];
      return sendJson(res, 200, {
        object: "list",
        data: names.map((id) => ({ id, object: "model", owned_by: "swe-review-mock" })),
      });
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return sendJson(res, 404, { detail: "Not Found" });
    }
    if (this.options.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return sendJson(res, 401, {
        error: {
          message: "Incorrect API key provided.",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    }
    let request: { model?: string };
    try {
      request = JSON.parse(body);
    } catch {
      return sendVllmError(res, 400, "BadRequestError", "The request body is not valid JSON.");
    }
    if (this.options.models && !this.options.models.includes(String(request.model))) {
      return sendVllmError(res, 404, "NotFoundError", `The model \`${request.model}\` does not exist.`);
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
    const entry = this.script.shift();
    if (entry === undefined) {
      return sendVllmError(
        res,
        400,
        "BadRequestError",
        `The mock script is exhausted (request ${this.chatBodies.length}).`,
      );
    }
    const model = String(request.model ?? "mock-model");
    if (isFault(entry)) return this.playFault(entry, res, model, body.length);
    return sendJson(res, 200, this.render(entry, model, body.length));
  }

  private render(turn: ScriptTurn, model: string, promptChars: number): Record<string, unknown> {
    return renderCompletion(turn, {
      mode: this.options.mode ?? "native",
      model,
      reasoningField: this.options.reasoningField ?? "reasoning",
      promptChars,
    });
  }

  private async playFault(
    fault: ScriptFault,
    res: ServerResponse,
    model: string,
    promptChars: number,
  ): Promise<void> {
    switch (fault.fault) {
      case "http": {
        const payload = fault.body ?? {
          error: { message: `Injected ${fault.status}`, type: "mock", code: fault.status },
        };
        const text = typeof payload === "string" ? payload : JSON.stringify(payload);
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        res.end(text);
        return;
      }
      case "delay": {
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        if (res.destroyed || res.socket?.destroyed) return;
        if (fault.turn) return sendJson(res, 200, this.render(fault.turn, model, promptChars));
        return sendVllmError(res, 500, "InternalServerError", "Injected slow failure.");
      }
      case "truncate": {
        const text = JSON.stringify(this.render({ content: "truncated" }, model, promptChars));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      case "reset":
        res.socket?.destroy();
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end(fault.body ?? JSON.stringify({ object: "chat.completion", choices: [] }));
        return;
    }
  }
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockOpenAIServer> {
  return new MockOpenAIServer(options).start();
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** vLLM's error body shape. */
function sendVllmError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { object: "error", message, type, param: null, code: status });
}
