import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../common/errors.js";

/** A trajectory file and the instance folder around it (`runs/<run>/instances/<id>/`), when there is one. */
export interface TrajectoryLocation {
  path: string;
  /** The folder holding `result.json` / `candidate.json` beside the trajectory. */
  instanceDir?: string;
}

const MAX_DEPTH = 4;

/**
 * The trajectories under a path: a trajectory file itself; a run directory (`instances/<id>/trajectory.jsonl`);
 * or any folder, searched a few levels deep for `trajectory.jsonl` and `*.trajectory.jsonl` files, or failing
 * those for JSONL files that start with a trajectory header. Sorted by path, so runs export in a stable order.
 */
export function findTrajectories(path: string): TrajectoryLocation[] {
  if (!existsSync(path)) {
    throw new InputError(
      "trajectory_missing",
      `${path} does not exist: give a trajectory file or a run directory.`,
    );
  }
  if (statSync(path).isFile()) {
    return [{ path, ...(basename(path) === "trajectory.jsonl" ? { instanceDir: dirname(path) } : {}) }];
  }
  const named: string[] = [];
  const other: string[] = [];
  walk(path, 0, (file) => {
    const name = basename(file);
    if (name === "trajectory.jsonl" || name.endsWith(".trajectory.jsonl")) named.push(file);
    else if (name.endsWith(".jsonl") && startsWithHeader(file)) other.push(file);
  });
  const files = (named.length > 0 ? named : other).sort();
  if (files.length === 0) {
    throw new InputError(
      "trajectory_missing",
      `No trajectories under ${path}: expected instances/<id>/trajectory.jsonl (a run directory) or trajectory JSONL files.`,
    );
  }
  return files.map((file) =>
    basename(file) === "trajectory.jsonl" ? { path: file, instanceDir: dirname(file) } : { path: file },
  );
}

function walk(dir: string, depth: number, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1, visit);
    else if (entry.isFile()) visit(full);
  }
}

function startsWithHeader(file: string): boolean {
  const head = readFileSync(file, { encoding: "utf8", flag: "r" }).slice(0, 4096);
  return /^\{[^\n]*"type"\s*:\s*"header"/.test(head);
}
