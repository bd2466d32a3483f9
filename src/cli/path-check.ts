import { accessSync, constants, lstatSync, readlinkSync, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../common/errors.js";

/**
 * What a path given to a command must be: an existing file, folder, or either, to read; or a place to write a file,
 * or a folder to write into (made when missing).
 */
export type PathKind = "file" | "folder" | "file-or-folder" | "output-file" | "output-folder";

export interface PathRule {
  kind: PathKind;
  /** Values that are not paths and are left to the command (`-` for standard input, `gold`). */
  words?: readonly string[];
  /** The path inside a value, when a value carries more than a path (`owner/name=/path`); undefined: no path. */
  pathOf?: (value: string) => string | undefined;
}

const FIX: Record<PathKind, string> = {
  file: "Give an existing file",
  folder: "Give an existing folder",
  "file-or-folder": "Give an existing file or folder",
  "output-file": "Give a file path (not a folder) in a folder this user can write to",
  "output-folder": "Give a folder, or a path where one can be made, that this user can write to",
};

/**
 * Checks a path a flag was given against what the flag needs, and throws an `InputError` (exit 3) that names the
 * flag, the path, what is wrong and what to give instead. `label` names the flag (`--out`), `what` says what the
 * path is for. Access is checked as this process's user (root reads and writes everything but read-only mounts).
 */
export function checkPath(value: string, rule: PathRule, label: string, what: string): void {
  if (rule.words?.includes(value)) return;
  const path = rule.pathOf ? rule.pathOf(value) : value;
  if (path === undefined) return;
  const problem = pathProblem(path, rule.kind);
  if (!problem) return;
  const inside = path === value ? "" : ` (${path})`;
  const words = rule.words?.length ? `, or ${rule.words.map((word) => `'${word}'`).join(" or ")}` : "";
  const purpose = label ? `${label}: ${what}` : what;
  throw new InputError(
    "bad_path",
    `${label ? `${label} ` : ""}${value}: ${problem}${inside}. ${FIX[rule.kind]}${words} (${purpose}).`,
  );
}

/** What is wrong with `path` for `kind`, in words, or undefined when it will do. */
export function pathProblem(path: string, kind: PathKind): string | undefined {
  const output = kind === "output-file" || kind === "output-folder";
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const link = danglingLink(path);
      if (link !== undefined) return `it is a symbolic link to ${link}, which does not exist`;
      return output ? creatable(path) : "no such file or folder";
    }
    return unreachable(path, code);
  }
  const folder = stats.isDirectory();
  switch (kind) {
    case "file":
      if (folder) return "it is a folder, not a file";
      return readable(path, constants.R_OK);
    case "folder":
      if (!folder) return "it is a file, not a folder";
      return readable(path, constants.R_OK | constants.X_OK);
    case "file-or-folder":
      return readable(path, folder ? constants.R_OK | constants.X_OK : constants.R_OK);
    case "output-file":
      if (folder) return "it is a folder, not a file";
      return writable(path, constants.W_OK, "the file cannot be written (permission denied)");
    case "output-folder":
      if (!folder) return "it is a file, not a folder";
      return writable(path, constants.W_OK | constants.X_OK, "this user cannot write in that folder");
  }
}

/** Why a path could not be looked at: a file where a folder is needed on the way, no permission, a link loop. */
function unreachable(path: string, code: string | undefined): string {
  if (code === "ENOTDIR") {
    const blocker = nearestExisting(dirname(resolve(path)));
    return `${blocker} is a file, not a folder, so nothing can be inside it`;
  }
  if (code === "EACCES" || code === "EPERM")
    return "permission denied: this user cannot reach it (a folder on the way is not searchable)";
  if (code === "ELOOP") return "it is a loop of symbolic links";
  if (code === "ENAMETOOLONG") return "the name is too long";
  return `it cannot be looked at (${code ?? "unknown error"})`;
}

/** Whether a missing path can be made: its nearest existing ancestor must be a folder this user can write in. */
function creatable(path: string): string | undefined {
  const parent = nearestExisting(dirname(resolve(path)));
  let stats: Stats;
  try {
    stats = statSync(parent);
  } catch (error) {
    return unreachable(parent, (error as NodeJS.ErrnoException).code);
  }
  if (!stats.isDirectory()) return `${parent} is a file, not a folder, so nothing can be made inside it`;
  return writable(parent, constants.W_OK | constants.X_OK, `this user cannot write in ${parent}`);
}

function readable(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch {
    return "permission denied: this user cannot read it";
  }
}

function writable(path: string, mode: number, problem: string): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EROFS" ? "it is on a read-only file system" : problem;
  }
}

/** The closest path at or above `path` that exists (a file there is what blocks what was asked). */
export function nearestExisting(path: string): string {
  let current = path;
  while (dirname(current) !== current) {
    try {
      lstatSync(current);
      return current;
    } catch {
      current = dirname(current);
    }
  }
  return current;
}

function danglingLink(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}
