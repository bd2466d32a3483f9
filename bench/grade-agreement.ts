/**
 * Grades every official SWE-bench evaluation log in ../shared/data/eval-logs (see its index.jsonl) against SWE-bench
 * Lite and prints the agreement with the official labels on the rows without harness drift, per repository, with
 * every disagreement and drift row explained by the tests behind it, and the grading time per log.
 *
 *   npm run bench:grade-agreement [-- --data <shared data folder>]
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadInstances } from "../src/data/load.js";
import {
  agreementWithOfficial,
  type GradedOfficialLog,
  gradeOfficialLogs,
} from "../src/harness/grading/agreement.js";

const flag = process.argv.indexOf("--data");
const data =
  (flag !== -1 ? process.argv[flag + 1] : undefined) ??
  process.env.SWE_REVIEW_SHARED_DATA ??
  resolve(fileURLToPath(new URL("..", import.meta.url)), "..", "shared", "data");
const index = join(data, "eval-logs", "index.jsonl");
if (!existsSync(index)) {
  process.stderr.write(`No ${index}: pass --data <folder with eval-logs/ and swe-bench-lite/>.\n`);
  process.exit(3);
}

const instances = await loadInstances(join(data, "swe-bench-lite", "instances.jsonl"));
const started = performance.now();
const graded = await gradeOfficialLogs(index, instances);
const milliseconds = performance.now() - started;
const agreement = agreementWithOfficial(graded);

const percent = (part: number, whole: number) =>
  whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`;
const explain = (row: GradedOfficialLog) => {
  const { result, entry } = row;
  const failed = [...result.f2p.failed.map((t) => `F2P ${t}`), ...result.p2p.failed.map((t) => `P2P ${t}`)];
  return (
    `  ${entry.instance_id}: official ${entry.official_resolved}, ours ${result.resolved} (${result.resolution}, ` +
    `${result.outcome}${failed.length ? `; failing: ${failed.slice(0, 5).join(", ")}` : "; every listed test passes"})`
  );
};

console.log(
  `agreement with official_resolved: ${agreement.agreeing}/${agreement.compared} (${percent(agreement.agreeing, agreement.compared)})`,
);
for (const [repo, counts] of Object.entries(agreement.byRepo).sort()) {
  console.log(`  ${repo.padEnd(28)} ${counts.agreeing}/${counts.compared}`);
}
console.log(`disagreements: ${agreement.disagreements.length}`);
for (const row of agreement.disagreements) console.log(explain(row));
console.log(`left out (harness_version_drift): ${agreement.drift.length}`);
for (const row of agreement.drift) console.log(explain(row));
console.log(
  `graded ${graded.length} logs in ${milliseconds.toFixed(0)} ms (${(milliseconds / graded.length).toFixed(2)} ms per log)`,
);
