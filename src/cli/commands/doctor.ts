import type { Command } from "commander";
import { requireModel } from "../../config/require-model.js";
import { runDoctor } from "../../doctor/doctor.js";
import { renderCheck, renderVerdict } from "../../doctor/render.js";
import { commandContext, type GlobalOptions } from "../context.js";

/** `swe-review doctor`: checks the configured model endpoint and says what to fix. Exit 1 when a check fails. */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "check the configured model endpoint: reachable, model listed, tool calls (native or text), structured output, context length",
    )
    .option("--json", "print the results as JSON")
    .option(
      "--timeout <seconds>",
      "per-request timeout of the probes",
      (value) => Number.parseFloat(value),
      60,
    )
    .action(async (options: { json?: boolean; timeout: number }, command: Command) => {
      const { config } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const model = requireModel(config.model);
      if (!options.json) process.stdout.write(`swe-review doctor: ${model.name}\n\n`);
      const report = await runDoctor({
        model,
        timeoutSeconds: options.timeout,
        ...(options.json ? {} : { onResult: (result) => process.stdout.write(renderCheck(result)) }),
      });
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`\n${renderVerdict(report.results)}`);
      if (!report.healthy) process.exitCode = 1;
    });
}
