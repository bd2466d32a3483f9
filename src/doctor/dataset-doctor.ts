import { type CheckResult, runChecks } from "./check.js";
import { type DatasetContext, datasetChecks, type InstanceReadiness } from "./dataset-checks.js";

export interface DatasetDoctorReport {
  results: CheckResult[];
  /** Each instance: ready, ready once its repository is fetched, or blocked (with why). */
  instances: InstanceReadiness[];
  /** True when every instance can run (perhaps after fetching its repository). */
  healthy: boolean;
}

/**
 * `swe-review doctor --dataset`: which instances this machine can verify and what the others lack (a test spec,
 * the interpreter and the Python modules their spec names, programs, the repository at its base commit). The
 * checks run in the same runner, and print the same way, as the endpoint checks.
 */
export async function runDatasetDoctor(
  context: DatasetContext,
  onResult?: (result: CheckResult) => void,
): Promise<DatasetDoctorReport> {
  const results = await runChecks(datasetChecks(), context, onResult);
  const summary = results.find((result) => result.id === "instances");
  const instances = (summary?.details?.instances as InstanceReadiness[] | undefined) ?? [];
  return { results, instances, healthy: results.every((result) => result.status !== "fail") };
}
