import { type Command, Option } from "commander";
import { startMockServer } from "../../model/mock-server/server.js";
import { loadScriptFile } from "../../traj/replay.js";

export function registerMockServerCommand(program: Command): void {
  program
    .command("mock-server")
    .description(
      "serve scripted assistant turns over an OpenAI-compatible API on 127.0.0.1 (for tests, demos and replaying a trajectory)",
    )
    .requiredOption(
      "--script <file>",
      "JSON array or JSONL of turns and faults, or a trajectory.jsonl to replay",
    )
    .addOption(
      new Option("--mode <mode>", "tool calls as native tool_calls, or as hermes <tool_call> text in content")
        .choices(["native", "hermes"])
        .default("native"),
    )
    .option("--port <port>", "port to listen on (default: a free one)", (value) => Number.parseInt(value, 10))
    .option("--served-model <name...>", "model names to serve; others get a 404 (default: any)")
    .action(
      async (options: {
        script: string;
        mode: "native" | "hermes";
        port?: number;
        servedModel?: string[];
      }) => {
        const server = await startMockServer({
          script: loadScriptFile(options.script),
          mode: options.mode,
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.servedModel ? { models: options.servedModel } : {}),
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
