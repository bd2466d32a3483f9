import { renameSync, writeFileSync } from "node:fs";

/** Writes JSON so a reader never sees half a file: to a temporary name, then renamed into place. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text so a reader never sees half a file: to a temporary name, then renamed into place. */
export function writeTextAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
