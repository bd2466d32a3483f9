import { existsSync, readFileSync } from "node:fs";
import { InputError } from "../common/errors.js";

/** The issue text from `--issue <file>` or `--issue -` (standard input). */
export function readIssueInput(path: string): string {
  if (path === "-") return readFileSync(0, "utf8");
  if (!existsSync(path)) {
    throw new InputError(
      "issue_missing",
      `--issue ${path}: no such file. Pass the issue text as a file, or - to read it from standard input.`,
    );
  }
  return readFileSync(path, "utf8");
}
