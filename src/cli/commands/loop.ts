import { type Command, Option } from "commander";
import { reviewEnvironmentFrom, workspaceEnvironmentFrom } from "../../assembly/agent-environment.js";
import { generatorSecrets } from "../../assembly/generator.js";
import { roleModel } from "../../assembly/role-model.js";
import { sampleVerifier, verifierFrom } from "../../assembly/verifier.js";
import type { LoopRecord, SampleRecord } from "../../loop/records.js";
import { runLoop } from "../../loop/run-loop.js";
import { renderLoopTable } from "../../loop/table.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { addGeneratorOptions, type GeneratorFlags, generatorFrom } from "../generator-options.js";
import { interruptSignal } from "../interrupt.js";
import { type LoopTaskFlags, loopTaskFrom } from "../loop-task.js";
import { positiveInteger } from "../option-parsers.js";
import { commandOutDir, defaultOutHelp } from "../out-dir.js";
import { issueOption, pathOption, repoOption } from "../path-options.js";
import { addSetupOptions, type SetupFlags, setupLayer, withWorktreeDeps } from "../setup-options.js";
import { addStrategyOptions, type StrategyFlags, strategyFrom } from "../strategy-options.js";

interface LoopOptions extends GeneratorFlags, StrategyFlags, SetupFlags, LoopTaskFlags {
  verifyTimeout: string;
  reviewer?: string;
  reviewerBaseUrl?: string;
  reviewerApiKey?: string;
  out?: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local" | "docker";
}

export function registerLoopCommand(program: Command): void {
  const command = program
    .command("loop")
    .description(
      "generate, review and revise until the reviewer approves (or the budget runs out); exit 0 when a candidate was approved, 1 otherwise, 2 when a model server cannot be reached",
    )
    .addOption(repoOption(" (default: the instance's repository, else .)"))
    .option("--base <rev>", "the commit to fix the issue at (default: the instance's base commit)")
    .addOption(issueOption(" (default: the instance's)"))
    .addOption(
      pathOption(
        "--dataset <file>",
        "instances (.jsonl, .json, .parquet) to take --instance from",
        "file-or-folder",
      ),
    )
    .option("--instance <id>", "the dataset instance to fix: its issue, repository and base commit")
    .option("--verify", "run the instance's tests on every sample and record whether it resolves the issue")
    .option("--verify-timeout <seconds>", "time limit of one test run", "1800")
    .option("--reviewer <model>", "the reviewer model (default: the configured model)")
    .option("--reviewer-base-url <url>", "the reviewer model's base URL (default: --base-url)")
    .option("--reviewer-api-key <key>", "the reviewer model's API key")
    .addOption(
      pathOption(
        "--out <dir>",
        `where rounds/, final.patch and loop.json go (default: ${defaultOutHelp("loop")})`,
        "output-folder",
      ),
    )
    .option("--max-steps <n>", "step limit of each agent run")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local", "docker"]));
  addStrategyOptions(command, "");
  addSetupOptions(addGeneratorOptions(command)).action(async (options: LoopOptions, cmd: Command) => {
    const strategy = strategyFrom(options);
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>(), {
      ...(maxSteps ? { agent: { maxSteps } } : {}),
      ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
      ...setupLayer(options),
    });
    const task = await loopTaskFrom(options);
    const verifyTimeout = positiveInteger(options.verifyTimeout, "--verify-timeout") ?? 1800;
    const interrupt = interruptSignal(process.stderr, { resumable: false });
    const verify =
      options.verify && task.instance
        ? sampleVerifier(
            verifierFrom(config, {
              overrides: task.overrides,
              logger,
              timeoutMs: verifyTimeout * 1000,
            }),
            task.instance,
            interrupt.signal,
          )
        : undefined;
    const generator = generatorFrom(options, config, logger);
    const reviewer = roleModel(
      config,
      {
        ...(options.reviewer ? { name: options.reviewer } : {}),
        ...(options.reviewerBaseUrl ? { baseUrl: options.reviewerBaseUrl } : {}),
        ...(options.reviewerApiKey ? { apiKey: options.reviewerApiKey } : {}),
      },
      logger,
    );
    const outDir = commandOutDir("loop", options.out);
    const workspace = workspaceEnvironmentFrom(config, logger, [
      options.generatorApiKey,
      options.reviewerApiKey,
      ...generatorSecrets(generator),
    ]);
    const setup = withWorktreeDeps(workspace.setup, options, task.source);
    if (setup) workspace.setup = setup;
    let shown = 0;
    let record: LoopRecord;
    try {
      record = await runLoop(
        {
          source: task.source,
          base: task.base,
          // A dataset instance runs in its image (--sandbox docker); your repository is copied into --image.
          ...(task.instance && workspace.sandbox.container?.imageFor && !task.overrides.size
            ? { image: workspace.sandbox.container.imageFor(task.instance) }
            : {}),
          issue: task.issue,
          ...strategy,
        },
        {
          generator,
          generation: workspace,
          review: reviewEnvironmentFrom(config, logger, reviewer, [], workspace),
          ...(verify ? { verify } : {}),
          outDir,
          signal: interrupt.signal,
          onRecord: (progress) => {
            for (const sample of progress.samples.slice(shown)) {
              process.stderr.write(
                `[loop] sample ${sample.sample} (${sample.kind}): ${sample.patch_bytes} bytes${verifiedNote(sample)}\n`,
              );
            }
            shown = progress.samples.length;
          },
        },
      );
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
      process.stderr.write(`[stopped: the rounds so far and loop.json are in ${outDir}]\n`);
      process.exitCode = 130;
      return;
    } finally {
      interrupt.dispose();
    }
    process.stdout.write(renderLoopTable(record));
    process.stderr.write(`[loop.json and final.patch in ${outDir}]\n`);
    process.exitCode = record.outcome === "approved" ? 0 : 1;
  });
}

function verifiedNote(sample: SampleRecord): string {
  if (sample.resolved === undefined) return "";
  if (sample.resolved === null) return `, not verified (${sample.verify_error ?? "error"})`;
  return sample.resolved ? ", resolves the issue" : ", does not resolve the issue";
}
