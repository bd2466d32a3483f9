import { writeTextAtomic } from "../common/atomic-write.js";
import type { Candidate } from "../data/candidate.js";
import type { BenchItem } from "./items.js";
import type { RunDir } from "./run-dir-writer.js";

/**
 * Writes the run's candidates as a candidates file (JSONL) with `resolved` set from each item's label: the input of
 * `bench review --candidates` and `bench score --candidates`. Candidates without a label (their tests could not run)
 * are written without one. Returns how many have a label.
 */
export function writeLabelledCandidates(
  run: RunDir,
  items: readonly BenchItem[],
  path: string,
): { labelled: number; unlabelled: number } {
  let labelled = 0;
  const lines = items.map((item) => {
    const label = run.result(item.key)?.label ?? item.label;
    const { resolved: _old, ...candidate } = item.candidate;
    const line: Candidate = label === null ? candidate : { ...candidate, resolved: label };
    if (label !== null) labelled += 1;
    return JSON.stringify(line);
  });
  writeTextAtomic(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return { labelled, unlabelled: items.length - labelled };
}
