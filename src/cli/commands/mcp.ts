import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { reviewEnvironmentFrom } from "../../assembly/agent-environment.js";
import { roleModel } from "../../assembly/role-model.js";
import { stateDir } from "../../common/state-dir.js";
import { InFlight } from "../../mcp/in-flight.js";
import { createMcpServer } from "../../mcp/server.js";
import type { McpServices } from "../../mcp/services.js";
import { serveStdio } from "../../mcp/stdio.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { positiveInteger } from "../option-parsers.js";
import { pathOption } from "../path-options.js";

interface McpOptions {
  runsDir?: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local" | "docker";
}

/** Where the MCP server keeps review files unless told otherwise: never inside the repository under review. */
export function defaultMcpRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), "mcp-runs");
}

export function registerMcpCommand(program: Command): void {
  program
    .command("mcp")
    .description(
      "serve the review tools over MCP on stdio (review_patch, review_and_revise_guidance) for Claude Code and other MCP clients; logs go to stderr",
    )
    .addOption(
      pathOption(
        "--runs-dir <dir>",
        "where each review's report.json and trajectory.jsonl go (default: $XDG_STATE_HOME/swe-review/mcp-runs)",
        "output-folder",
      ),
    )
    .option("--max-steps <n>", "step limit of each review unless the call sets one (default: agent.maxSteps)")
    .addOption(
      new Option("--sandbox <kind>", "isolation for the agent's commands").choices([
        "bwrap",
        "local",
        "docker",
      ]),
    )
    .action(async (options: McpOptions, command: Command) => {
      const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
      const { config, logger } = commandContext(command.optsWithGlobals<GlobalOptions>(), {
        ...(maxSteps ? { agent: { maxSteps } } : {}),
        ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
      });
      const shutdown = new AbortController();
      const inFlight = new InFlight();
      const services: McpServices = {
        environment: (call) => {
          const reviewer = roleModel(config, call.model ? { name: call.model } : {}, logger);
          const environment = reviewEnvironmentFrom(config, logger, reviewer);
          const steps = call.maxSteps ?? config.agent.maxSteps;
          return {
            environment: { ...environment, budget: { ...environment.budget, maxSteps: steps } },
            maxSteps: steps,
          };
        },
        runsDir: resolve(options.runsDir ?? defaultMcpRunsDir()),
        cwd: process.cwd(),
        logger,
        shutdown: shutdown.signal,
        inFlight,
      };
      await serveStdio(createMcpServer(services), { logger, shutdown, inFlight });
    });
}
