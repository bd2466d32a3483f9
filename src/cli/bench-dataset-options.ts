import { resolve } from "node:path";
import type { Command } from "commander";
import { pathOption } from "./path-options.js";

/** The flags that choose what a benchmark run reviews or verifies: a dataset, its candidates, a split, some instances. */
export interface DatasetFlags {
  dataset: string;
  candidates?: string;
  split?: string;
  instances?: string[];
}

/** Adds `--dataset` (described by `datasetHelp`), `--candidates`, `--split` and `--instances`. */
export function addDatasetOptions(command: Command, datasetHelp: string): Command {
  return command
    .addOption(pathOption("--dataset <file>", datasetHelp, "file-or-folder").makeOptionMandatory())
    .addOption(
      pathOption(
        "--candidates <file>",
        "candidates (JSONL, or SWE-bench predictions) for the instances of --dataset",
        "file",
      ),
    )
    .option("--split <name>", "the split's name (default: the folder's or file's name)")
    .option("--instances <ids...>", "only these instance ids");
}

/** The run spec's dataset, with absolute paths. */
export function datasetOfFlags(flags: DatasetFlags) {
  return {
    path: resolve(flags.dataset),
    ...(flags.candidates ? { candidates: resolve(flags.candidates) } : {}),
    ...(flags.split ? { split: flags.split } : {}),
    ...(flags.instances ? { instances: flags.instances } : {}),
  };
}
