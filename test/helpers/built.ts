import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { CLI } from "./cli.js";

/**
 * A module of the built CLI (dist/), e.g. `importBuilt<typeof import("../../src/cli/main.js")>("cli/main.js")`: the
 * program the CLI runs, loaded as JavaScript (loading the sources instead would transform every one of them).
 */
export function importBuilt<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(dirname(CLI), path)).href) as Promise<T>;
}
