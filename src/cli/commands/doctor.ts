import { type Command, Option } from "commander";
import { imageForInstance } from "../../assembly/container-options.js";
import { repoCacheFrom } from "../../assembly/workspace-options.js";
import { requireModel } from "../../config/require-model.js";
import { loadInstances } from "../../data/load.js";
import type { CheckResult } from "../../doctor/check.js";
import { engineImageLookup, runContainerDoctor } from "../../doctor/container-checks.js";
import { runDatasetDoctor } from "../../doctor/dataset-doctor.js";
import { runDoctor } from "../../doctor/doctor.js";
import { renderCheck, renderInstance, renderVerdict } from "../../doctor/render.js";
import { parseInstanceIds, selectCandidates } from "../../harness/batch/candidate-set.js";
import { parseRepoOverrides } from "../../workspace/repo-source.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { collect, positiveNumber } from "../option-parsers.js";
import { pathOption, REPO_OVERRIDE } from "../path-options.js";

interface DoctorOptions {
  json?: boolean;
  timeout: number;
  dataset?: string;
  instances?: string[];
  repo?: string[];
  sandbox?: "bwrap" | "local" | "docker";
}

/**
 * `swe-review doctor`: checks the configured model endpoint and says what to fix; with `--dataset`, checks which
 * of the dataset's instances this machine can verify (with `--sandbox docker`: in their images, on the container
 * engine). Exit 1 when a check fails; 3 when `--sandbox docker` finds no engine.
 */
export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description(
      "check the configured model endpoint (reachable, model listed, tool calls, structured output, context " +
        "length); with --dataset, which instances this machine can verify and what the others lack",
    )
    .option("--json", "print the results as JSON")
    .option(
      "--timeout <seconds>",
      "per-request timeout of the probes",
      (value) => positiveNumber(value, "--timeout", "seconds, e.g. 60"),
      60,
    )
    .addOption(
      pathOption(
        "--dataset <file>",
        "check this dataset's instances instead of the model endpoint",
        "file-or-folder",
      ),
    )
    .option(
      "--instances <ids>",
      "with --dataset: only these instance ids (comma-separated; repeatable)",
      collect,
    )
    .addOption(
      pathOption(
        "--repo <owner/name=path>",
        "with --dataset: a local clone for a repository (repeatable)",
        REPO_OVERRIDE,
      ).argParser(collect),
    )
    .addOption(
      new Option("--sandbox <kind>", "with --dataset: isolation").choices(["bwrap", "local", "docker"]),
    )
    .action(async (options: DoctorOptions, command: Command) => {
      if (options.dataset) {
        await datasetDoctor(options.dataset, options, command);
        return;
      }
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

async function datasetDoctor(dataset: string, options: DoctorOptions, command: Command): Promise<void> {
  const overrides = parseRepoOverrides(options.repo);
  const { config, logger } = commandContext(
    command.optsWithGlobals<GlobalOptions>(),
    options.sandbox ? { sandbox: { kind: options.sandbox } } : {},
  );
  const ids = parseInstanceIds(options.instances);
  const { instances } = await selectCandidates(await loadInstances(dataset), "empty", {
    datasetPath: dataset,
    ...(ids ? { ids } : {}),
  });
  if (!options.json) process.stdout.write(`swe-review doctor: ${dataset}\n\n`);
  const onResult = options.json
    ? undefined
    : (result: CheckResult) => process.stdout.write(renderCheck(result));
  const report =
    config.sandbox.kind === "docker"
      ? await runContainerDoctor(
          {
            instances,
            imageFor: (instance) => imageForInstance(instance, config.sandbox.docker),
            connect: () => engineImageLookup(process.env),
          },
          onResult,
        )
      : await runDatasetDoctor(
          {
            instances,
            ...(config.test ? { testConfig: config.test } : {}),
            overrides,
            cache: repoCacheFrom(config, logger),
            sandboxKind: config.sandbox.kind,
            env: process.env,
          },
          onResult,
        );
  // Without an engine every instance is blocked for the same reason, said once by the engine check.
  const noEngine = "engine_found" in report && !report.engine_found;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    if (!noEngine) {
      process.stdout.write("\n");
      for (const item of report.instances) process.stdout.write(renderInstance(item));
    }
    process.stdout.write(`\n${renderVerdict(report.results)}`);
  }
  // As an InputError (a missing engine is, everywhere else) would exit.
  if (noEngine) process.exitCode = 3;
  else if (!report.healthy) process.exitCode = 1;
}
