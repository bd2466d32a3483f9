import { dirname, resolve } from "node:path";
import { InputError } from "../common/errors.js";
import { nearestExisting } from "./path-check.js";

/** What the file-system errors a path given to a command can cause mean, in words. */
const MEANING: Record<string, string> = {
  EEXIST: "something is already there (a file where a folder is needed?)",
  ENOTDIR: "a file is in the way where a folder is needed",
  EISDIR: "it is a folder where a file is needed",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "it is on a read-only file system",
  ELOOP: "a loop of symbolic links",
  ENAMETOOLONG: "the name is too long",
};

/**
 * A file-system error about a path that escaped the checks of the command's path options (a default folder, a path
 * made from another one), as bad input (exit 3) naming the path, instead of an internal error with a trace. Other
 * errors: undefined.
 */
export function fileSystemInputError(error: unknown): InputError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  const meaning = code ? MEANING[code] : undefined;
  if (!meaning || typeof path !== "string") return undefined;
  const blocker = code === "ENOTDIR" ? nearestExisting(dirname(resolve(path))) : undefined;
  const what = blocker ? `${blocker} is a file, so ${path} cannot be made inside it` : `${path}: ${meaning}`;
  return new InputError(
    "bad_path",
    `${what} (${code}${syscall ? ` on ${syscall}` : ""}). Move what is there or choose other paths (the command's --help lists its path options and their defaults).`,
    { cause: error },
  );
}
