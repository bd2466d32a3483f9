import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import { redactRecord } from "../../common/secrets.js";
import { describeLayer, listSourcedValues, type SourcedValue } from "../../config/value-sources.js";
import { commandContext, type GlobalOptions } from "../context.js";

export function registerConfigCommand(program: Command): void {
  program
    .command("config")
    .description("print the resolved configuration (secrets redacted) and the layers it was read from")
    .option("--json", "print JSON instead of YAML")
    .option(
      "--sources",
      "print each value with the layer it came from (defaults, a file, environment, a flag)",
    )
    .action((options: { json?: boolean; sources?: boolean }, command: Command) => {
      const { config, layers, sources } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const redacted = redactRecord(config);
      const values = options.sources ? listSourcedValues(redacted, sources) : undefined;
      if (options.json) {
        const out = { config: redacted, layers, ...(values ? { sources: values } : {}) };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        const listed = layers
          .map((layer) => `#   ${layer.name}${layer.path ? `: ${layer.path}` : ""}`)
          .join("\n");
        const body = values ? sourcedLines(values) : toYaml(redacted);
        process.stdout.write(`# layers, lowest precedence first:\n${listed}\n${body}`);
      }
      if (!config.model.name) {
        process.stderr.write(
          "note: no model is configured; commands that call a model will ask for --model (or SWE_REVIEW_MODEL).\n",
        );
      }
    });
}

/** One line per value: `path  value  ← layer`, in aligned columns (values as JSON, already redacted). */
function sourcedLines(values: SourcedValue[]): string {
  const rows = values.map(
    (item) => [item.path, JSON.stringify(item.value), describeLayer(item.source)] as const,
  );
  const pathWidth = Math.max(0, ...rows.map(([path]) => path.length));
  const valueWidth = Math.max(0, ...rows.map(([, value]) => value.length));
  return rows
    .map(([path, value, layer]) => `${path.padEnd(pathWidth)}  ${value.padEnd(valueWidth)}  ← ${layer}\n`)
    .join("");
}
