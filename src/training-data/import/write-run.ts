import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../common/errors.js";
import { markRunFolder } from "../../common/run-folder.js";
import type { TrajectoryEvent } from "../../trajectory/schema.js";

/** A conversation converted to our format, with what its run folder's `result.json` should say. */
export interface ImportedTrajectory {
  /** The instance folder's name (the instance id when known). */
  name: string;
  events: TrajectoryEvent[];
  result: Record<string, unknown>;
  /** Messages left out (invalid observations, tool results that answer no call). */
  dropped: number;
}

/**
 * Writes imported trajectories as a run directory (`instances/<name>/trajectory.jsonl` and `result.json`), the
 * layout `swe-review traj export` and `view` read. Names repeated (several candidates of one instance) get
 * `__2`, `__3`… Refuses to write into a run directory that already has instances.
 */
export function writeImportedRun(outDir: string, trajectories: readonly ImportedTrajectory[]): string[] {
  const instances = join(outDir, "instances");
  if (existsSync(instances)) {
    throw new InputError(
      "import_target_exists",
      `${instances} already exists: import into a new directory (or remove it first).`,
    );
  }
  markRunFolder(outDir, "traj import");
  const seen = new Map<string, number>();
  return trajectories.map((trajectory) => {
    const safe = trajectory.name.replace(/[^A-Za-z0-9._-]+/g, "_");
    const n = (seen.get(safe) ?? 0) + 1;
    seen.set(safe, n);
    const dir = join(instances, n === 1 ? safe : `${safe}__${n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "trajectory.jsonl"),
      trajectory.events.map((event) => `${JSON.stringify(event)}\n`).join(""),
    );
    writeFileSync(join(dir, "result.json"), `${JSON.stringify(trajectory.result, null, 2)}\n`);
    return dir;
  });
}
