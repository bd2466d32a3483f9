import { z } from "zod";
import { InputError } from "../../common/errors.js";
import { parseRecord, readRecords } from "../../data/records.js";
import { parseReviewReport } from "../../review/report.js";
import type { ScoreItem } from "../score/item.js";
import { classifyReleasedDecision, releasedExtractDecision } from "../score/released-decision.js";
import { DatasetIndex } from "./dataset-index.js";
import { missingItem, type ScoreInput } from "./run-dir-items.js";
import type { DatasetItem } from "./scoring-dataset.js";

/** A row of the released single-turn output (`review_results.json`): `{instance_id, report}`. */
const ReviewRowSchema = z.object({ instance_id: z.string().min(1), report: z.unknown().optional() });
export type ReviewRow = { instance_id: string; report: unknown };

/** The rows of a reviews file (a JSON array or JSONL), one per instance, and how many duplicates were dropped. */
export async function readReviewsFile(path: string): Promise<{ rows: ReviewRow[]; duplicates: number }> {
  const rows = (await readRecords(path)).map((record) => {
    const row = parseRecord(ReviewRowSchema, record, "a review result ({instance_id, report})");
    return { instance_id: row.instance_id, report: row.report ?? null };
  });
  return releasedDeduplicate(rows);
}

/**
 * The released loader's rule for several results of one instance (reference §6.1): one with a report beats one
 * without; otherwise the later one wins. The kept rows stay in the order of the rows they replaced.
 */
export function releasedDeduplicate(rows: readonly ReviewRow[]): { rows: ReviewRow[]; duplicates: number } {
  const kept = new Map<string, number>();
  rows.forEach((row, index) => {
    const previous = kept.get(row.instance_id);
    const previousRow = previous === undefined ? undefined : rows[previous];
    if (!previousRow || !(previousRow.report !== null && row.report === null))
      kept.set(row.instance_id, index);
  });
  const indices = [...kept.values()].sort((a, b) => a - b);
  return { rows: indices.flatMap((index) => rows[index] ?? []), duplicates: rows.length - indices.length };
}

/**
 * Every dataset item with its row of the reviews file, decided as the released `extract_decision` does (not our
 * tolerant parser): a decision other than the exact strings approve/request_changes is kept as `other`. The
 * confidence and defect locations are read with our parser when the report has them (for calibration and
 * localisation only).
 */
export function itemsFromReviews(
  dataset: readonly DatasetItem[],
  reviews: { rows: readonly ReviewRow[]; duplicates: number },
  path: string,
): ScoreInput {
  const index = new DatasetIndex(dataset);
  if (!index.instanceIdsAreUnique()) {
    throw new InputError(
      "reviews_ambiguous",
      `${path} names reviews by instance_id, but the dataset has several candidates for some instances: score one split at a time.`,
    );
  }
  const byCandidate = new Map<string, ReviewRow>();
  let outside = 0;
  for (const row of reviews.rows) {
    const match = index.find(row);
    if (match && match !== "ambiguous") byCandidate.set(match.candidate_id, row);
    else outside += 1;
  }
  const notes: string[] = [];
  if (reviews.duplicates > 0) {
    notes.push(
      `${path} has ${reviews.duplicates} duplicate row(s) for an instance: kept one each by the released loader's rule (a row with a report beats one without, else the later one).`,
    );
  }
  if (outside > 0)
    notes.push(`${outside} row(s) of ${path} are for no instance of the dataset: left out, as released.`);
  return {
    items: dataset.map((data) => {
      const row = byCandidate.get(data.candidate_id);
      return row ? reviewedItem(data, row) : missingItem(data);
    }),
    notes,
  };
}

function reviewedItem(data: DatasetItem, row: ReviewRow): ScoreItem {
  const raw = releasedExtractDecision(row.report);
  const decision = classifyReleasedDecision(raw);
  const parsed = row.report === null ? undefined : parseReviewReport(row.report);
  const report = parsed?.ok ? parsed.report : undefined;
  return {
    ...missingItem(data),
    status: "done",
    decision,
    ...(decision === "other" ? { decision_text: typeof raw === "string" ? raw : JSON.stringify(raw) } : {}),
    confidence: report?.decision.confidence ?? null,
    defects: (report?.defects ?? []).map((defect) => ({
      severity: defect.severity,
      path: defect.location?.path ?? null,
      start_line: defect.location?.start_line ?? null,
      end_line: defect.location?.end_line ?? null,
    })),
  };
}
