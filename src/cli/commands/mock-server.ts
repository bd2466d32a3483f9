import { type Command, Option } from "commander";
import type { AnsweredRequest } from "../../model/mock-server/http.js";
import { startMockServer } from "../../model/mock-server/server.js";
import { isScriptName, SHIPPED_SCRIPTS, shippedScriptPath } from "../../model/mock-server/shipped-scripts.js";
import { loadScriptFile } from "../../trajectory/replay.js";
import { integerOption } from "../option-parsers.js";
import { pathOption } from "../path-options.js";
import { listenFailure, parsePort } from "../port-option.js";

export function registerMockServerCommand(program: Command): void {
  program
    .command("mock-server")
    .description(
      "serve scripted assistant turns over an OpenAI-compatible API on 127.0.0.1 (for tests, demos and replaying a trajectory)",
    )
    .addOption(
      pathOption(
        "--script <file|name>",
        `JSON array or JSONL of turns and faults, a trajectory.jsonl to replay, or a shipped script by name (${SHIPPED_SCRIPTS.join(", ")}; see docs/mock-server.md)`,
        { kind: "file", pathOf: (value) => (isScriptName(value) ? undefined : value) },
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        "--mode <mode>",
        "native: vLLM with the hermes tool parser; hermes: no parser (calls stay as <tool_call> text in content, requests with tools get vLLM's 400)",
      )
        .choices(["native", "hermes"])
        .default("native"),
    )
    .option("--port <port>", "port to listen on (default: a free one)", parsePort)
    .option("--served-model <name...>", "model names to serve; others get a 404 (default: any)")
    .option(
      "--context-length <tokens>",
      "max_model_len: reported in /v1/models, longer prompts get a 400",
      integerOption("--context-length"),
    )
    .option("--no-reasoning-parser", "leave reasoning in the content as <think>…</think>")
    .addOption(
      new Option("--reasoning-field <field>", "where reasoning goes (newer vLLM: reasoning)")
        .choices(["reasoning", "reasoning_content"])
        .default("reasoning"),
    )
    .option(
      "--log-requests",
      "print one line per request on stderr when it is answered: method, path, status, time, script entries left (never bodies or headers)",
    )
    .action(
      async (options: {
        script: string;
        mode: "native" | "hermes";
        port?: number;
        servedModel?: string[];
        contextLength?: number;
        reasoningParser: boolean;
        reasoningField: "reasoning" | "reasoning_content";
        logRequests?: boolean;
      }) => {
        const file = isScriptName(options.script) ? shippedScriptPath(options.script) : options.script;
        const server = await startMockServer({
          script: loadScriptFile(file),
          mode: options.mode,
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.servedModel ? { models: options.servedModel } : {}),
          ...(options.contextLength === undefined ? {} : { contextLength: options.contextLength }),
          noReasoningParser: !options.reasoningParser,
          reasoningField: options.reasoningField,
        }).catch((error: unknown) => {
          throw listenFailure(error, options.port ?? 0);
        });
        if (options.logRequests) {
          server.onAnswered = (request) => process.stderr.write(`${requestLine(request)}\n`);
        }
        process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl, turns: server.remaining })}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        await server.close();
      },
    );
}

/** `POST /v1/chat/completions 200 12 ms, 3 script entries left`: what `--log-requests` prints. */
export function requestLine(request: AnsweredRequest): string {
  const status =
    request.status === undefined
      ? "connection cut"
      : `${request.status}${request.complete ? "" : " cut short"}`;
  const left = `${request.remaining} script entr${request.remaining === 1 ? "y" : "ies"} left`;
  return `${request.method} ${request.path} ${status} ${request.ms} ms, ${left}`;
}
