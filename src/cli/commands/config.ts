import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import { redactRecord } from "../../common/secrets.js";
import { commandContext, type GlobalOptions } from "../context.js";

export function registerConfigCommand(program: Command): void {
  program
    .command("config")
    .description("print the resolved configuration (secrets redacted) and where each layer came from")
    .option("--json", "print JSON instead of YAML")
    .action((options: { json?: boolean }, command: Command) => {
      const { config, layers } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const redacted = redactRecord(config);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ config: redacted, layers }, null, 2)}\n`);
      } else {
        const sources = layers
          .map((layer) => `#   ${layer.name}${layer.path ? `: ${layer.path}` : ""}`)
          .join("\n");
        process.stdout.write(`# layers, lowest precedence first:\n${sources}\n${toYaml(redacted)}`);
      }
      if (!config.model.name) {
        process.stderr.write(
          "note: no model is configured; commands that call a model will ask for --model (or SWE_REVIEW_MODEL).\n",
        );
      }
    });
}
