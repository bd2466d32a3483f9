import { type Convention, verdictOf } from "./decision-metrics.js";
import type { DefectLocation, ScoreItem } from "./item.js";
import { type LineRange, normalizePatchPath, patchFootprint, rangesOverlap } from "./patch-footprint.js";
import { pythonRound } from "./python-round.js";

/** Do the reviewer's defects point where the gold patch changes the code? Rates are percentages. */
export interface LocalisationFigures {
  /** Reviews with at least one located defect, of items whose gold patch is known. */
  reviews: number;
  /** Share of those reviews with a defect in a file the gold patch touches. */
  file_hit_rate: number;
  /** Share of those reviews with a defect whose lines overlap a hunk of the gold patch in that file. */
  line_hit_rate: number;
  /** Located defects in those reviews. */
  defects: number;
  /** Share of located defects that are in a file the gold patch touches. */
  defect_file_precision: number;
  /** The same over correct rejections (request_changes of a candidate that does not resolve the issue). */
  correct_rejections: { reviews: number; file_hit_rate: number; line_hit_rate: number };
}

export interface ItemLocalisation {
  file_hit: boolean;
  line_hit: boolean;
  defects: number;
  defects_in_gold_files: number;
}

/** How one item's defects meet its gold patch; undefined without located defects or a readable gold patch. */
export function itemLocalisation(item: ScoreItem): ItemLocalisation | undefined {
  const located = item.defects.filter((defect) => defect.path && normalizePatchPath(defect.path));
  if (located.length === 0 || !item.gold_patch) return undefined;
  const gold = patchFootprint(item.gold_patch);
  if (!gold) return undefined;
  let inGold = 0;
  let lineHit = false;
  for (const defect of located) {
    const ranges = gold.get(normalizePatchPath(defect.path ?? "") ?? "");
    if (!ranges) continue;
    inGold += 1;
    const lines = defectLines(defect);
    if (lines && ranges.some((range) => rangesOverlap(lines, range))) lineHit = true;
  }
  return { file_hit: inGold > 0, line_hit: lineHit, defects: located.length, defects_in_gold_files: inGold };
}

/** Localisation over the items that have located defects and a gold patch, or undefined when none has. */
export function localisationFigures(
  items: readonly ScoreItem[],
  convention: Convention,
): LocalisationFigures | undefined {
  const rows = items.flatMap((item) => {
    const localisation = itemLocalisation(item);
    return localisation ? [{ item, localisation }] : [];
  });
  if (rows.length === 0) return undefined;
  const share = (count: number, of: number) => (of > 0 ? pythonRound((count / of) * 100, 1) : 0);
  const rates = (subset: typeof rows) => ({
    reviews: subset.length,
    file_hit_rate: share(subset.filter((row) => row.localisation.file_hit).length, subset.length),
    line_hit_rate: share(subset.filter((row) => row.localisation.line_hit).length, subset.length),
  });
  const defects = rows.reduce((sum, row) => sum + row.localisation.defects, 0);
  const inGold = rows.reduce((sum, row) => sum + row.localisation.defects_in_gold_files, 0);
  return {
    ...rates(rows),
    defects,
    defect_file_precision: share(inGold, defects),
    correct_rejections: rates(
      rows.filter(
        (row) => row.item.label === false && verdictOf(row.item, convention.decisions) === "reject",
      ),
    ),
  };
}

function defectLines(defect: DefectLocation): LineRange | undefined {
  if (defect.start_line === null) return undefined;
  const end = defect.end_line ?? defect.start_line;
  return [Math.min(defect.start_line, end), Math.max(defect.start_line, end)];
}
