import { type Command, Option } from "commander";
import { type ConfigLayer, DEFAULT_MAX_STEPS } from "../config/schema.js";
import { REVIEW_MODES, type ReviewMode } from "../review/run-review.js";
import { positiveInteger } from "./option-parsers.js";
import { defaultOutHelp } from "./out-dir.js";
import { type PathOption, pathOption } from "./path-options.js";

/** The flags that choose how a review runs, shared by the commands that review. */
export interface ReviewRunFlags {
  mode: ReviewMode;
  maxSteps?: string;
  sandbox?: "bwrap" | "local" | "docker";
}

export function addReviewRunOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--mode <mode>", "agentic review, or a single-turn baseline")
        .choices([...REVIEW_MODES])
        .default("agentic"),
    )
    .option("--max-steps <n>", `step limit of the agent (default: agent.maxSteps, ${DEFAULT_MAX_STEPS})`)
    .addOption(
      new Option("--sandbox <kind>", "isolation for the agent's commands").choices([
        "bwrap",
        "local",
        "docker",
      ]),
    );
}

/** `--out <dir>` of a command that writes a review: where report.json and trajectory.jsonl go. */
export function reviewOutOption(command: string): PathOption {
  return pathOption(
    "--out <dir>",
    `where report.json and trajectory.jsonl go (default: ${defaultOutHelp(command)})`,
    "output-folder",
  );
}

/** `--format`: print the review as markdown (the default) or JSON. */
export function reviewFormatOption(): Option {
  return new Option("--format <format>", "what to print").choices(["markdown", "json"]).default("markdown");
}

/** The configuration the flags set (over the files and the environment). */
export function reviewRunLayer(flags: ReviewRunFlags): ConfigLayer {
  const maxSteps = positiveInteger(flags.maxSteps, "--max-steps");
  return {
    ...(maxSteps ? { agent: { maxSteps } } : {}),
    ...(flags.sandbox ? { sandbox: { kind: flags.sandbox } } : {}),
  };
}
