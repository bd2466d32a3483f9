import { type Command, Option } from "commander";
import { startMockServer } from "../../model/mock-server/server.js";
import { loadScriptFile } from "../../traj/replay.js";
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
        "--script <file>",
        "JSON array or JSONL of turns and faults, or a trajectory.jsonl to replay",
        "file",
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
      (value) => Number.parseInt(value, 10),
    )
    .option("--no-reasoning-parser", "leave reasoning in the content as <think>…</think>")
    .addOption(
      new Option("--reasoning-field <field>", "where reasoning goes (newer vLLM: reasoning)")
        .choices(["reasoning", "reasoning_content"])
        .default("reasoning"),
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
      }) => {
        const server = await startMockServer({
          script: loadScriptFile(options.script),
          mode: options.mode,
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.servedModel ? { models: options.servedModel } : {}),
          ...(options.contextLength === undefined ? {} : { contextLength: options.contextLength }),
          noReasoningParser: !options.reasoningParser,
          reasoningField: options.reasoningField,
        }).catch((error: unknown) => {
          throw listenFailure(error, options.port ?? 0);
        });
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
