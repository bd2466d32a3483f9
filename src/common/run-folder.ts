import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { VERSION } from "../version.js";

/**
 * A run folder is a folder a swe-review command writes its outputs into (`review`'s report.json and
 * trajectory.jsonl, `generate`'s candidate, `loop`'s rounds, a bench run). Each one gets this hidden marker file
 * when it is made, so a working-tree review that finds one inside the repository knows exactly what it is.
 * Readers of run folders skip it (it is a dot-file, and no reader lists a run folder's top level for records).
 */
export const RUN_FOLDER_MARKER = ".swe-review-run.json";

export const RunFolderMarkerSchema = z.object({
  format: z.literal("swe-review-run"),
  version: z.literal(1),
  /** The command that made the folder (`review`, `generate`, `loop`, `github`, `mcp`, `bench`). */
  command: z.string(),
  created_at: z.string(),
  swe_review: z.string(),
});
export type RunFolderMarker = z.infer<typeof RunFolderMarkerSchema>;

/** Makes `dir` (if it is not there) and marks it as a run folder of `command`; an existing marker is kept. */
export function markRunFolder(dir: string, command: string, now: Date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, RUN_FOLDER_MARKER);
  if (!existsSync(marker)) {
    const record: RunFolderMarker = {
      format: "swe-review-run",
      version: 1,
      command,
      created_at: now.toISOString(),
      swe_review: VERSION,
    };
    writeFileSync(marker, `${JSON.stringify(record, null, 2)}\n`);
  }
  return dir;
}

/**
 * A new run folder under `parent`, named `<command>-<yyyymmdd-hhmmss>-<random>`: made with an exclusive mkdir, so
 * two runs started in the same second (or sharing a clock) never share a folder.
 */
export function newRunFolder(parent: string, command: string, now: Date = new Date()): string {
  mkdirSync(parent, { recursive: true });
  for (;;) {
    const dir = join(parent, `${command}-${timestamp(now)}-${randomBytes(3).toString("hex")}`);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    return markRunFolder(dir, command, now);
  }
}

/** `yyyymmdd-hhmmss` in UTC. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .replace("T", "-");
}
