import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isFault, type ScriptEntry, type ScriptFault, type ScriptTurn } from "../scripted/script.js";

/** One request a mock server received, as sent. */
export interface RecordedRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The request target as sent: path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received. */
  body: string;
}

/**
 * Answers a model call from the request itself (its parsed JSON body), when the script has no entry left: for runs
 * whose calls arrive in no fixed order (concurrent reviews, a run interrupted and resumed).
 */
export type MockResponder = (body: Record<string, unknown>) => ScriptEntry | Promise<ScriptEntry>;

/**
 * One request as it was answered, for a request log: never the body or the headers (they can hold prompts and keys).
 * `status` is undefined when the connection was cut before an answer (a `reset` fault); `complete` is false when the
 * answer was cut short (a `truncate` fault, or the client went away).
 */
export interface AnsweredRequest {
  method: string;
  path: string;
  status: number | undefined;
  complete: boolean;
  ms: number;
  /** Script entries not yet played once it was answered. */
  remaining: number;
}

/**
 * The HTTP side shared by the mock model servers: listens on 127.0.0.1, records every request, plays a script of
 * turns and faults (one entry per model call), and closes cleanly. Subclasses route requests and render turns in
 * their API's shape. A call past the script's end (with no `respond` set) gets the API's 400 error. The caller owns
 * the server: `close` it when done (open connections are cut).
 */
export abstract class MockHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted: counts a client that reached the server without a request it could record (a proxy's CONNECT). */
  connections = 0;
  protected readonly script: ScriptEntry[];
  /** Set to answer calls the script does not cover. */
  respond: MockResponder | undefined;
  /** Called once per request when its answer has ended (or the connection was cut): for a request log. */
  onAnswered: ((request: AnsweredRequest) => void) | undefined;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  constructor(
    script: readonly ScriptEntry[] = [],
    private readonly listenPort = 0,
  ) {
    this.script = [...script];
  }

  /** `http://127.0.0.1:<port>`: where the server listens, once started. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What a request past the script's end is told, with how many of the API's calls came so far. */
  protected exhausted(calls: number): string {
    return `The mock script is exhausted (request ${calls}).`;
  }

  /** Script entries not yet played. */
  get remaining(): number {
    return this.script.length;
  }

  push(...entries: ScriptEntry[]): void {
    this.script.push(...entries);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.receive(req, res);
    });
    server.on("connection", (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.listenPort, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  protected abstract route(request: RecordedRequest, res: ServerResponse): Promise<void> | void;

  /** The error body for an injected fault without a body of its own. */
  protected abstract faultBody(status: number): unknown;

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      url: req.url ?? "/",
      headers: { ...req.headers },
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.requests.push(request);
    const started = Date.now();
    res.once("close", () =>
      this.onAnswered?.({
        method: request.method,
        path: request.path,
        status: res.headersSent ? res.statusCode : undefined,
        complete: res.writableFinished,
        ms: Date.now() - started,
        remaining: this.remaining,
      }),
    );
    await this.route(request, res);
  }

  /** Plays the next script entry: a turn is rendered and sent, a fault is played. False when exhausted. */
  protected async playNext(
    res: ServerResponse,
    render: (turn: ScriptTurn) => MockResponse,
  ): Promise<boolean> {
    let entry = this.script.shift();
    if (entry === undefined && this.respond) {
      const last = this.requests.at(-1);
      entry = await this.respond(last ? (JSON.parse(last.body) as Record<string, unknown>) : {});
    }
    if (entry === undefined) return false;
    if (isFault(entry)) await this.playFault(entry, res, render);
    else send(res, render(entry));
    return true;
  }

  private async playFault(
    fault: ScriptFault,
    res: ServerResponse,
    render: (turn: ScriptTurn) => MockResponse,
  ): Promise<void> {
    switch (fault.fault) {
      case "http": {
        const payload = fault.body ?? this.faultBody(fault.status);
        const text = typeof payload === "string" ? payload : JSON.stringify(payload);
        res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
        res.end(text);
        return;
      }
      case "delay": {
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        if (res.destroyed || res.socket?.destroyed) return;
        if (fault.turn) return send(res, render(fault.turn));
        return sendJson(res, 500, this.faultBody(500));
      }
      case "truncate": {
        // The headers promise a whole answer; half of it arrives, then the connection is cut.
        const answer = render({ content: "truncated" });
        res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
        res.write(answer.body.slice(0, Math.floor(answer.body.length / 2)));
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

/** A whole HTTP answer, rendered before it is sent (so faults can send part of it). */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(status: number, payload: unknown): MockResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(payload) };
}

/** A streamed answer: server-sent events. */
export function eventStreamResponse(body: string, headers: Record<string, string> = {}): MockResponse {
  return { status: 200, headers: { "content-type": "text/event-stream", ...headers }, body };
}

export function send(res: ServerResponse, response: MockResponse): void {
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(response.body) });
  res.end(response.body);
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  send(res, jsonResponse(status, payload));
}
