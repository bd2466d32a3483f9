import type { Command } from "commander";
import { gradeLogFile } from "../../harness/grading/grade-file.js";
import { PARSER_NAMES } from "../../harness/parsers/registry.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { pathOption } from "../path-options.js";

interface GradeOptions {
  dataset: string;
  instance: string;
  log: string;
  parser?: string;
  tests?: boolean;
}

export function registerGradeCommand(program: Command): void {
  program
    .command("grade")
    .description(
      "grade an existing test log against an instance's FAIL_TO_PASS and PASS_TO_PASS tests (SWE-bench rules); " +
        "prints {instance_id, applied, resolved, resolution, f2p, p2p, outcome, parser} as JSON",
    )
    .addOption(
      pathOption(
        "--dataset <file>",
        "instances: SWE-bench or Multi-SWE-bench rows as .jsonl, .json or .parquet",
        "file-or-folder",
      ).makeOptionMandatory(),
    )
    .requiredOption("--instance <id>", "the instance_id the log belongs to")
    .addOption(
      pathOption(
        "--log <file>",
        "the test log: a SWE-bench evaluation log, or a test command's bare output",
        "file",
      ).makeOptionMandatory(),
    )
    .option("--parser <name>", `log parser instead of the repository's (${PARSER_NAMES.join(", ")})`)
    .option("--tests", "also print every test the log names, with its status")
    .action(async (options: GradeOptions, command: Command) => {
      const { config } = commandContext(command.optsWithGlobals<GlobalOptions>());
      const result = await gradeLogFile({
        dataset: options.dataset,
        instanceId: options.instance,
        log: options.log,
        ...(options.parser ? { parser: options.parser } : {}),
        ...(config.test ? { testConfig: config.test } : {}),
      });
      const { tests, ...summary } = result;
      process.stdout.write(`${JSON.stringify(options.tests ? result : summary, null, 2)}\n`);
    });
}
