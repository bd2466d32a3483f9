import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { workspaceEnvironmentFrom } from "../../assembly/agent-environment.js";
import { generatorSecrets } from "../../assembly/generator.js";
import { secretValuesFromOptions } from "../../common/secrets.js";
import { runGeneration } from "../../generate/run-generation.js";
import { resolveRepoSource } from "../../workspace/repo-source.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { addGeneratorOptions, type GeneratorFlags, generatorFrom } from "../generator-options.js";
import { readIssueInput } from "../issue-input.js";
import { positiveInteger } from "../option-parsers.js";
import { commandOutDir, defaultOutHelp } from "../out-dir.js";
import { issueOption, pathOption, repoOption } from "../path-options.js";
import { progressLine } from "../progress.js";
import { addSetupOptions, type SetupFlags, setupLayer, withWorktreeDeps } from "../setup-options.js";

interface GenerateOptions extends GeneratorFlags, SetupFlags {
  repo: string;
  base: string;
  issue: string;
  out?: string;
  maxSteps?: string;
  sandbox?: "bwrap" | "local" | "docker";
  keep?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  const command = program
    .command("generate")
    .description(
      "fix an issue with a coding agent in a sandboxed workspace; prints the candidate patch and writes it with the PR content (exit 1 if the patch is empty, 2 if the model failed before there was one)",
    )
    .addOption(repoOption().default("."))
    .requiredOption("--base <rev>", "the commit to fix the issue at")
    .addOption(issueOption().makeOptionMandatory())
    .addOption(
      pathOption(
        "--out <dir>",
        `where candidate.patch, pr.json, result.json and the trajectory go (default: ${defaultOutHelp("generate")})`,
        "output-folder",
      ),
    )
    .option("--max-steps <n>", "step limit of our agent")
    .addOption(new Option("--sandbox <kind>", "isolation").choices(["bwrap", "local", "docker"]))
    .option("--keep", "keep the workspace afterwards");
  addSetupOptions(addGeneratorOptions(command)).action(async (options: GenerateOptions, cmd: Command) => {
    const maxSteps = positiveInteger(options.maxSteps, "--max-steps");
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>(), {
      ...(maxSteps ? { agent: { maxSteps } } : {}),
      ...(options.sandbox ? { sandbox: { kind: options.sandbox } } : {}),
      ...(options.keep ? { workspace: { keep: true } } : {}),
      ...setupLayer(options),
    });
    const issue = readIssueInput(options.issue);
    const source = resolveRepoSource(options.repo);
    const generator = generatorFrom(options, config, logger);
    const environment = workspaceEnvironmentFrom(config, logger, [
      ...secretValuesFromOptions(options),
      ...generatorSecrets(generator),
    ]);
    const setup = withWorktreeDeps(environment.setup, options, source);
    if (setup) environment.setup = setup;
    const outDir = commandOutDir("generate", options.out);
    const progress = progressLine("generate", config.agent.maxSteps);
    const result = await runGeneration(
      { source, base: options.base, issue: { problemStatement: issue } },
      generator,
      {
        ...environment,
        outDir,
        onStep: progress.update,
      },
    );
    progress.done();
    process.stdout.write(result.patch);
    process.stderr.write(
      `[${result.status}; ${Buffer.byteLength(result.patch)} bytes; PR "${result.prTitle}" (${result.prSource}); ${outDir}]\n`,
    );
    if (result.error) process.stderr.write(`error: ${result.error.message}\n`);
    if (!result.patch.trim() && generator.kind === "command") process.stderr.write(generatorLogTail(outDir));
    // No patch because the model failed (e.g. its server cannot be reached) is no result from the model: exit 2.
    process.exitCode = result.patch.trim() ? 0 : result.error ? 2 : 1;
  });
}

/** Why an external agent made no change is in its own words: the last lines of its log (already redacted). */
function generatorLogTail(outDir: string, lines = 8): string {
  let log: string;
  try {
    log = readFileSync(join(outDir, "generator.log"), "utf8");
  } catch {
    return "";
  }
  const tail = log.trimEnd().split("\n").slice(-lines);
  return `The generator changed nothing. The end of ${join(outDir, "generator.log")}:\n${tail.map((line) => `  ${line.slice(0, 300)}`).join("\n")}\n`;
}
