import type { Defect } from "../review/report.js";
import type { DiffFile } from "./diff-lines.js";

/** Where an inline comment goes, in the terms of GitHub's review comments (`line`/`side`, not `position`). */
export interface CommentAnchor {
  path: string;
  line: number;
  side: "RIGHT";
  /** For a comment over several lines: the first (same hunk, same side). */
  start_line?: number;
  start_side?: "RIGHT";
}

export interface PlacedDefect {
  defect: Defect;
  /** Where it is commented inline; absent when its location is not on a line the diff shows. */
  anchor?: CommentAnchor;
}

/**
 * Places each defect on the changed lines it points at. A defect's lines are read as lines of the changed file
 * (the reviewer reads the code with the patch applied), so comments go on the diff's RIGHT side: over the whole
 * range when one hunk shows it, else over the part of the range the first hunk showing any of it covers. Defects
 * without a location, in files the diff does not touch, or on lines no hunk shows are left for the review body.
 */
export function placeDefects(defects: readonly Defect[], files: readonly DiffFile[]): PlacedDefect[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  return defects.map((defect) => {
    const location = defect.location;
    if (!location || location.start_line === null) return { defect };
    const file = pathCandidates(location.path)
      .map((candidate) => byPath.get(candidate))
      .find((found) => found !== undefined);
    if (!file || file.binary) return { defect };
    const path = file.path;
    const first = Math.max(1, location.start_line);
    const last = Math.max(first, location.end_line ?? first);
    for (const hunk of file.hunks) {
      const shown: number[] = [];
      for (let line = first; line <= last; line++) if (hunk.right.has(line)) shown.push(line);
      const start = shown[0];
      const end = shown.at(-1);
      if (start === undefined || end === undefined) continue;
      // Within a hunk the shown lines are contiguous, so [start, end] is one block of the diff.
      const anchor: CommentAnchor =
        start === end
          ? { path, line: end, side: "RIGHT" }
          : { path, line: end, side: "RIGHT", start_line: start, start_side: "RIGHT" };
      return { defect, anchor };
    }
    return { defect };
  });
}

/**
 * The paths a defect's path may name in the diff: reviewers write `/testbed/x.py`, `./x.py` or `b/x.py` as well
 * as `x.py` (the `a/`/`b/` reading comes second: a folder may really be called `b`).
 */
export function pathCandidates(path: string): string[] {
  const plain = path
    .trim()
    .replace(/^\/testbed\//, "")
    .replace(/^\.\//, "");
  const unprefixed = plain.replace(/^[ab]\//, "");
  return unprefixed === plain ? [plain] : [plain, unprefixed];
}
