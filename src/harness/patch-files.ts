import { parsePatch } from "diff";
import { errorMessage, InputError } from "../common/errors.js";

/** One file a patch touches, without the `a/` and `b/` prefixes. `path` is where the file is after the patch. */
export interface PatchedFile {
  path: string;
  /** The path before the patch; differs from `path` for a rename. */
  oldPath: string;
  created: boolean;
  deleted: boolean;
}

/**
 * The files a unified diff touches, in order, once each. A deleted file is named by its old path (as the
 * `diff --git a/x b/x` header names it). `what` names the patch in the error a malformed patch raises.
 */
export function patchedFiles(patch: string, what = "the patch"): PatchedFile[] {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(patch);
  } catch (error) {
    throw new InputError("patch_invalid", `Cannot parse ${what} as a unified diff: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const files: PatchedFile[] = [];
  const seen = new Set<string>();
  for (const file of parsed) {
    const oldPath = stripPrefix(file.oldFileName, "a/");
    const newPath = stripPrefix(file.newFileName, "b/");
    const deleted = newPath === undefined;
    const path = newPath ?? oldPath;
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    files.push({ path, oldPath: oldPath ?? path, created: oldPath === undefined, deleted });
  }
  return files;
}

function stripPrefix(name: string | undefined, prefix: string): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
