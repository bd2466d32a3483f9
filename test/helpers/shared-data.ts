import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SkipReason } from "./skip.js";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The shared real-data folder (`../shared/data` beside the repository, or `SWE_REVIEW_SHARED_DATA`), or undefined
 * when this machine has none: tests that need it skip then.
 */
export function sharedDataDir(): string | undefined {
  const dir = process.env.SWE_REVIEW_SHARED_DATA || resolve(REPOSITORY, "..", "shared", "data");
  return existsSync(dir) ? dir : undefined;
}

/**
 * Why tests that read `paths` (relative to the shared data folder) skip here: no shared data folder at all, or the
 * files of it that are missing. Undefined when every one is there.
 */
export function missingSharedData(...paths: string[]): SkipReason {
  const dir = sharedDataDir();
  if (!dir) {
    return "no shared real data (../shared/data beside the repository, or SWE_REVIEW_SHARED_DATA)";
  }
  const missing = paths.filter((path) => !existsSync(join(dir, path)));
  return missing.length > 0 ? `missing from the shared real data (${dir}): ${missing.join(", ")}` : undefined;
}
