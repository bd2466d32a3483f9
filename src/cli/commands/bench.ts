import type { Command } from "commander";
import { registerBenchReviseCommand } from "./bench-revise.js";
import { registerBenchReviewCommand } from "./bench-run.js";
import { registerBenchScoreCommand } from "./bench-score.js";
import { registerBenchTtsCommand } from "./bench-tts.js";
import { registerBenchVerifyCommand } from "./bench-verify.js";

/** `swe-review bench`: benchmark runs over a dataset and their scores. Subcommands register themselves on it. */
export function registerBenchCommand(program: Command): Command {
  const bench = program
    .command("bench")
    .description(
      "benchmark a reviewer over a dataset: runs, scores (CR, DA, FAR, FRR, RRR) and an HTML report",
    );
  registerBenchReviewCommand(bench);
  registerBenchReviseCommand(bench);
  registerBenchTtsCommand(bench);
  registerBenchVerifyCommand(bench);
  registerBenchScoreCommand(bench);
  return bench;
}
