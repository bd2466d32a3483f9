import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The shared real-data folder (`../shared/data` beside the repository, or `SWE_REVIEW_SHARED_DATA`), or undefined
 * when this machine has none: tests that need it skip then.
 */
export function sharedDataDir(): string | undefined {
  const dir = process.env.SWE_REVIEW_SHARED_DATA || resolve(REPOSITORY, "..", "shared", "data");
  return existsSync(dir) ? dir : undefined;
}
