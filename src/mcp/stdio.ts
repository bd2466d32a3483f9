import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Logger } from "../common/logger.js";
import type { InFlight } from "./in-flight.js";

/**
 * How `serveStdio` runs: its streams (default the process's), logger, shutdown signal and the reviews in
 * flight.
 */
export interface StdioOptions {
  logger: Logger;
  /** Aborted here when the server stops: every review in flight sees it and cleans up. */
  shutdown: AbortController;
  /** The reviews running; on shutdown the server waits for each to clean up. */
  inFlight: InFlight;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/**
 * Serves `server` over stdio (JSON-RPC on stdin/stdout; nothing else may write to stdout) until the client goes
 * away (stdin ends or the transport closes) or the process gets SIGINT/SIGTERM. Then it aborts the reviews in
 * flight, waits until each has closed its sandbox and removed its workspace, and closes the server.
 */
export async function serveStdio(server: McpServer, options: StdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const transport = new StdioServerTransport(
    stdin as typeof process.stdin,
    (options.stdout ?? process.stdout) as typeof process.stdout,
  );
  let stop: (why: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const onEnd = () => stop("the client closed the connection");
  const onSignal = (signal: NodeJS.Signals) => stop(`received ${signal}`);
  stdin.once("end", onEnd);
  stdin.once("close", onEnd);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  transport.onerror = (error) => options.logger.warn({ err: error }, "MCP transport error");
  server.server.onclose = () => stop("the transport closed");
  await server.connect(transport);
  options.logger.info("swe-review MCP server ready on stdio");
  try {
    const why = await stopped;
    options.logger.info({ why, reviews: options.inFlight.size }, "MCP server stopping");
    options.shutdown.abort(new Error(`server stopping: ${why}`));
    await options.inFlight.settled();
    await server.close();
  } finally {
    stdin.off("end", onEnd);
    stdin.off("close", onEnd);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
