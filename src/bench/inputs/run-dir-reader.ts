import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { errorMessage, InputError } from "../../common/errors.js";
import {
  type InstanceResult,
  InstanceResultReadSchema,
  type RevisionResult,
  RevisionResultReadSchema,
  type RunManifest,
  RunManifestReadSchema,
} from "../records.js";

/** One finished item of a run directory. */
export interface RunDirItem {
  /** The folder name under `instances/`. */
  key: string;
  result: InstanceResult;
  revision?: RevisionResult;
  /** Files worth opening, relative to the run directory. */
  links: { label: string; href: string }[];
}

export interface RunDirContents {
  dir: string;
  manifest?: RunManifest;
  items: RunDirItem[];
}

/** Files a reader of the report may want, per item, in the order the report lists them. */
const ITEM_FILES: readonly (readonly [string, string])[] = [
  ["trajectory", "trajectory.jsonl"],
  ["report", "report.json"],
  ["loop", "loop/loop.json"],
  ["final patch", "loop/final.patch"],
  ["revision", "revision.json"],
  ["revision trajectory", "revision/trajectory.jsonl"],
  ["test log", "verify.log"],
  ["result", "result.json"],
];

/**
 * Reads a run directory (the layout in `records.ts`): `run.json` if present, and every item that has a
 * `result.json` (an item without one has not finished and is not read). Each record is validated; a bad one is an
 * error naming the file.
 */
export function readRunDir(dir: string): RunDirContents {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError("run_dir_missing", `Run directory ${dir} does not exist.`);
  }
  const instancesDir = join(dir, "instances");
  const manifestFile = join(dir, "run.json");
  const manifest = existsSync(manifestFile)
    ? readRecord(manifestFile, RunManifestReadSchema, "run.json")
    : undefined;
  if (!existsSync(instancesDir) && !manifest) {
    throw new InputError(
      "run_dir_invalid",
      `${dir} has neither run.json nor instances/: it is not a run directory (made by swe-review bench).`,
    );
  }
  const keys = existsSync(instancesDir) ? readdirSync(instancesDir).sort() : [];
  const items: RunDirItem[] = [];
  for (const key of keys) {
    const itemDir = join(instancesDir, key);
    const resultFile = join(itemDir, "result.json");
    if (!existsSync(resultFile)) continue;
    const result = readRecord(resultFile, InstanceResultReadSchema, "an item result (result.json)");
    const revisionFile = join(itemDir, "revision.json");
    const revision = existsSync(revisionFile)
      ? readRecord(revisionFile, RevisionResultReadSchema, "a revision result (revision.json)")
      : undefined;
    const links = ITEM_FILES.filter(([, file]) => existsSync(join(itemDir, file))).map(([label, file]) => ({
      label,
      href: `instances/${encodeURIComponent(key)}/${file}`,
    }));
    items.push({ key, result, ...(revision ? { revision } : {}), links });
  }
  return { dir, ...(manifest ? { manifest } : {}), items };
}

function readRecord<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(
      "run_record_invalid",
      `${file} is not valid JSON (${errorMessage(error)}); delete it to re-run that item, or restore it.`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`)
      .join("; ");
    throw new InputError(
      "run_record_invalid",
      `${file} is not ${what}: ${problems}. It was written by another version, or edited; delete it to re-run that item.`,
    );
  }
  return parsed.data;
}
