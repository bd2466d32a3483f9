import { parsePatch } from "diff";

/** Inclusive line range. */
export type LineRange = readonly [number, number];

/**
 * Where a unified diff touches each file: per path (new and old names, without `a/`/`b/`), the line ranges of its
 * hunks on both sides (context lines included, as a reviewer's line numbers may refer to either version of the
 * file). Undefined when the text is not a diff.
 */
export function patchFootprint(patch: string): Map<string, LineRange[]> | undefined {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(patch);
  } catch {
    return undefined;
  }
  const footprint = new Map<string, LineRange[]>();
  for (const file of parsed) {
    const ranges: LineRange[] = [];
    for (const hunk of file.hunks) {
      if (hunk.oldLines > 0) ranges.push([hunk.oldStart, hunk.oldStart + hunk.oldLines - 1]);
      if (hunk.newLines > 0) ranges.push([hunk.newStart, hunk.newStart + hunk.newLines - 1]);
    }
    const paths = new Set(
      [file.newFileName, file.oldFileName].flatMap((name) => (name ? [normalizePatchPath(name)] : [])),
    );
    for (const path of paths) {
      if (path) footprint.set(path, [...(footprint.get(path) ?? []), ...ranges]);
    }
  }
  return footprint.size > 0 ? footprint : undefined;
}

/** The files a diff touches (see patchFootprint), or an empty set when it is not a diff. */
export function patchFileSet(patch: string): Set<string> {
  return new Set(patchFootprint(patch)?.keys() ?? []);
}

/**
 * A path as a repository-relative name: without the diff's `a/`/`b/`, the sandbox's `/testbed/` or a leading `./`
 * or `/`. Undefined for `/dev/null` and empty names.
 */
export function normalizePatchPath(name: string): string | undefined {
  const trimmed = name.trim().split("\t")[0] ?? "";
  if (!trimmed || trimmed === "/dev/null") return undefined;
  const path = trimmed
    .replace(/^\/?testbed\//, "")
    .replace(/^[ab]\//, "")
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");
  return path || undefined;
}

/** Whether two inclusive ranges share a line. */
export function rangesOverlap(a: LineRange, b: LineRange): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}
