import { Command, CommanderError, Option } from "commander";
import { errorMessage, SweReviewError } from "../common/errors.js";
import { SecretScrubber, secretValuesFromArgs, secretValuesFromEnv } from "../common/secrets.js";
import { LOG_LEVELS } from "../config/schema.js";
import { EXIT_QUEUE_UNREACHABLE } from "../queue/reachability.js";
import { VERSION } from "../version.js";
import { registerBenchCommand } from "./commands/bench.js";
import { registerCacheCommand } from "./commands/cache.js";
import { registerConfigCommand } from "./commands/config.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerGenerateCommand } from "./commands/generate.js";
import { registerGitHubCommand } from "./commands/github.js";
import { registerGradeCommand } from "./commands/grade.js";
import { registerLoopCommand } from "./commands/loop.js";
import { registerMcpCommand } from "./commands/mcp.js";
import { registerMockServerCommand } from "./commands/mock-server.js";
import { registerModelsCommand } from "./commands/models.js";
import { registerQueueCommand, registerWorkerCommand } from "./commands/queue.js";
import { registerReviewCommand } from "./commands/review.js";
import { registerSandboxCommand } from "./commands/sandbox.js";
import { registerTrajCommand } from "./commands/traj.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { fileSystemInputError } from "./file-system-error.js";
import { checkPathsBeforeAction, pathOption } from "./path-options.js";

/**
 * Exit codes: 0 success, 1 failure, 2 no result from the model, 3 bad input or configuration, 4 the queue's Redis
 * cannot be reached, 130 stopped (Ctrl-C). Commands document their own meanings of 0-2 (review: the verdict).
 */
export const EXIT_BAD_INPUT = 3;

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    failure (review, github review: request changes; loop: nothing approved)
  2    no result from the model (review: no verdict)
  3    bad input or configuration: a flag, file, folder or URL that cannot be used as given
  ${EXIT_QUEUE_UNREACHABLE}    the queue's Redis cannot be reached (--queue, worker, queue)
  130  stopped by Ctrl-C (a worker's Ctrl-C is its normal end: 0)`;

export function buildProgram(): Command {
  const program = new Command("swe-review")
    .description(
      "Agentic code review for AI-generated patches: review, revise, benchmark, and export trajectories.",
    )
    .version(VERSION, "-V, --version")
    .addOption(
      pathOption(
        "--config <file>",
        "configuration file (layered over ~/.config/swe-review/config.yaml and .swe-review.yaml)",
        "file",
      ),
    )
    .addOption(new Option("--log-level <level>", "log level (logs go to stderr)").choices([...LOG_LEVELS]))
    .option("--model <name>", "model name as served (overrides SWE_REVIEW_MODEL)")
    .option(
      "--base-url <url>",
      "OpenAI-compatible base URL, e.g. http://localhost:8000/v1 (overrides SWE_REVIEW_BASE_URL)",
    )
    .option("--api-key <key>", "API key (prefer SWE_REVIEW_API_KEY or OPENAI_API_KEY in the environment)")
    .addOption(
      new Option("--provider <provider>", "model API (default: from the model's preset)").choices([
        "openai",
        "anthropic",
      ]),
    )
    .option("--preset <id>", "model preset (see `swe-review models`; default: matched by model name)")
    .option("--image <name>", "with --sandbox docker: the image every item runs in (e.g. your CI image)")
    .option(
      "--image-template <pattern>",
      "with --sandbox docker: instance image names, e.g. mirror.example/sweb.eval.{arch}.{id}:latest",
    )
    .option("--no-pull", "with --sandbox docker: a missing image is an error instead of being pulled")
    .option(
      "--remove-images",
      "with --sandbox docker: remove each instance image swe-review pulled once its item is done",
    )
    .addOption(
      new Option(
        "--tool-calls <mode>",
        "native tool calls, or text for servers without a tool parser",
      ).choices(["native", "text"]),
    )
    .addHelpText("after", EXIT_CODES_HELP)
    // A mistyped flag gets commander's one-line error and its closest option (showSuggestionAfterError, on by
    // default), not the whole help: the error would scroll out of sight above it.
    .exitOverride();
  // The global flags (--model, --image, --no-pull, …) are listed in every command's help too.
  program.configureHelp({ showGlobalOptions: true });
  registerReviewCommand(program);
  registerGenerateCommand(program);
  registerLoopCommand(program);
  registerBenchCommand(program);
  registerWorkerCommand(program);
  registerQueueCommand(program);
  registerConfigCommand(program);
  registerSandboxCommand(program);
  registerCacheCommand(program);
  registerMockServerCommand(program);
  registerGradeCommand(program);
  registerVerifyCommand(program);
  registerModelsCommand(program);
  registerDoctorCommand(program);
  registerTrajCommand(program);
  registerMcpCommand(program);
  registerGitHubCommand(program);
  return checkPathsBeforeAction(program);
}

/**
 * Runs the CLI and returns the process exit code. The error that ends a command is printed scrubbed of the secrets
 * this process was given (on its command line and in its environment) and of the credentials of any URL in it.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const scrub = (text: string) =>
    new SecretScrubber([...secretValuesFromArgs(argv), ...secretValuesFromEnv()]).scrub(text);
  try {
    await program.parseAsync([...argv]);
    // A command that completes but reports a failure (e.g. doctor) sets process.exitCode.
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    const known = error instanceof SweReviewError ? error : fileSystemInputError(error);
    if (known) {
      process.stderr.write(scrub(`error: ${known.message}\n`));
      return known.exitCode;
    }
    process.stderr.write(
      scrub(`internal error: ${errorMessage(error)}\n${error instanceof Error ? error.stack : ""}\n`),
    );
    return 1;
  }
}
