import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI } from "./cli.js";

export interface McpSession {
  client: Client;
  /** Everything the server wrote to stderr so far (its logs). */
  stderr(): string;
  /** Resolves when the server's stderr contains `text`. */
  stderrContains(text: string): Promise<void>;
  /** Errors the client saw on the protocol channel (e.g. a line on stdout that is not JSON-RPC). */
  protocolErrors: Error[];
  close(): Promise<void>;
}

/** Starts the built CLI's MCP server as a subprocess and connects the SDK's client to it over stdio. */
export async function startMcpSession(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: Object.fromEntries(
      Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    stderr: "pipe",
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    for (const waiter of waiters.filter((w) => stderr.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const client = new Client({ name: "swe-review-test", version: "1.0.0" });
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  const session: McpSession = {
    client,
    stderr: () => stderr,
    stderrContains: (text) =>
      stderr.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
    protocolErrors,
    close: () => client.close(),
  };
  return session;
}
