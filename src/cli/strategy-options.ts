import { type Command, Option } from "commander";
import type { Strategy } from "../loop/records.js";
import type { Fallback, NoVerdictPolicy } from "../loop/strategies.js";
import { positiveInteger } from "./option-parsers.js";

/** The flags of a test-time-scaling strategy, shared by `loop` and `bench tts`. */
export interface StrategyFlags {
  strategy: Strategy;
  budget: string;
  /** `--no-verdict <policy>` (commander names a `--no-` option after what follows it). */
  verdict: NoVerdictPolicy;
  fallback: Fallback;
  fromPrevious?: boolean;
}

export function addStrategyOptions(command: Command, budgetOf: string): Command {
  return command
    .addOption(
      new Option(
        "--strategy <strategy>",
        "iterative revision, reviewer-gated resampling, or best-of-n by reviewer",
      )
        .choices(["iterative", "gated", "best-of-n"])
        .default("iterative"),
    )
    .option(
      "--budget <k>",
      `the most samples (generations and revisions) to spend${budgetOf ? ` ${budgetOf}` : ""}`,
      "5",
    )
    .addOption(
      new Option(
        "--no-verdict <policy>",
        "iterative: when a review gives no verdict, stop or treat it as a rejection",
      )
        .choices(["stop", "reject"])
        .default("stop"),
    )
    .addOption(
      new Option("--fallback <which>", "gated and best-of-n: what to submit when nothing is approved")
        .choices(["last", "most-confident"])
        .default("last"),
    )
    .option("--from-previous", "revise from the previous patch instead of from a clean base");
}

/** The strategy the flags choose (a bad budget is an error naming the flag). */
export function strategyFrom(flags: StrategyFlags) {
  return {
    strategy: flags.strategy,
    budget: positiveInteger(flags.budget, "--budget") ?? 5,
    noVerdict: flags.verdict,
    fallback: flags.fallback,
    fromPrevious: flags.fromPrevious ?? false,
  };
}
