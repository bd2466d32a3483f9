import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError, SweReviewError } from "../../common/errors.js";

/**
 * The scripts swe-review ships for the mock server (JSON files in `./scripts/`, copied next to the build by
 * `npm run build`), by name. Each is documented in docs/mock-server.md:
 * - `reviewer-approve`, `reviewer-reject`: an agentic reviewer that reads the issue, applies the patch, runs the
 *   repository's tests and writes an approving or rejecting `/review_report.json`;
 * - `generator`: appends a line to the first file the issue names and writes `/pr_content.json`;
 * - `doctor`: the three answers `swe-review doctor`'s probes expect.
 */
export const SHIPPED_SCRIPTS = ["reviewer-approve", "reviewer-reject", "generator", "doctor"] as const;
export type ShippedScriptName = (typeof SHIPPED_SCRIPTS)[number];

const SCRIPTS_DIR = new URL("./scripts/", import.meta.url);

/** A `--script` value that names a shipped script rather than a file: no path separator and no `.json` ending. */
export function isScriptName(value: string): boolean {
  return !/[/\\]/.test(value) && !/\.jsonl?$/i.test(value) && value !== "." && value !== "..";
}

/** The file of a shipped script; an unknown name is bad input that lists the names there are. */
export function shippedScriptPath(name: string): string {
  if (!(SHIPPED_SCRIPTS as readonly string[]).includes(name)) {
    throw new InputError(
      "unknown_script",
      `There is no shipped script '${name}'. Shipped scripts: ${SHIPPED_SCRIPTS.join(", ")}. To use a file, give a path (./${name}) or a name ending in .json.`,
    );
  }
  const path = fileURLToPath(new URL(`${name}.json`, SCRIPTS_DIR));
  if (!existsSync(path)) {
    throw new SweReviewError(
      "script_missing",
      `The shipped script '${name}' is missing from this installation (${path}): reinstall swe-review, or run \`npm run build\` in a clone.`,
    );
  }
  return path;
}
