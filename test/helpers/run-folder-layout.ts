import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isRunFolderOutput } from "../../src/common/run-folder.js";

/**
 * The files in a run folder that are not at a path of the run-folder layout (`RUN_FOLDER_LAYOUT`), relative to it:
 * what a test of a writer expects to be empty, so the contract and what the commands really write agree.
 */
export function outsideRunFolderLayout(dir: string): string[] {
  const outside: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) walk(path);
      else if (!stat.isFile() || !isRunFolderOutput(path)) outside.push(path);
    }
  };
  walk("");
  return outside;
}
