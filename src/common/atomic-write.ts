import { renameSync, writeFileSync } from "node:fs";

/** Writes JSON so a reader never sees half a file: to a temporary name, then renamed into place. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}
