import type { Command } from "commander";
import { registerBenchScoreCommand } from "./bench-score.js";

/** `swe-review bench`: benchmark runs over a dataset and their scores. Subcommands register themselves on it. */
export function registerBenchCommand(program: Command): Command {
  const bench = program
    .command("bench")
    .description(
      "benchmark a reviewer over a dataset: runs, scores (CR, DA, FAR, FRR, RRR) and an HTML report",
    );
  registerBenchScoreCommand(bench);
  return bench;
}
