import { z } from "zod";
import { InputError } from "../../common/errors.js";
import { parseRecord, readRecords } from "../../data/records.js";
import type { ScoreItem } from "../score/item.js";

/** A revision outcome: `{instance_id, resolved}` (and `candidate_id` when an instance has several candidates). */
const RevisionRowSchema = z.object({
  instance_id: z.string().min(1),
  candidate_id: z.string().min(1).optional(),
  /** null: the revision's verification did not run (counted as not resolved, as the released code does). */
  resolved: z.boolean().nullable(),
});
export type RevisionRow = z.infer<typeof RevisionRowSchema>;

/** The rows of a revisions file (JSONL or a JSON array); when a candidate appears twice the later row wins. */
export async function readRevisionsFile(path: string): Promise<RevisionRow[]> {
  return (await readRecords(path)).map((record) =>
    parseRecord(RevisionRowSchema, record, "a revision outcome ({instance_id, resolved})"),
  );
}

/** The items with the file's revision outcomes in place of any the run directory had. */
export function withRevisions(
  items: readonly ScoreItem[],
  rows: readonly RevisionRow[],
  path: string,
): ScoreItem[] {
  const perInstance = new Map<string, number>();
  for (const item of items) perInstance.set(item.instance_id, (perInstance.get(item.instance_id) ?? 0) + 1);
  const outcome = new Map<string, boolean | null>();
  for (const row of rows) {
    if (!row.candidate_id && (perInstance.get(row.instance_id) ?? 0) > 1) {
      throw new InputError(
        "revisions_ambiguous",
        `${path}: ${row.instance_id} has several candidates in the dataset; give the row a candidate_id.`,
      );
    }
    outcome.set(row.candidate_id ?? row.instance_id, row.resolved);
  }
  return items.map((item) => {
    const resolved = outcome.has(item.candidate_id)
      ? outcome.get(item.candidate_id)
      : (perInstance.get(item.instance_id) ?? 0) === 1
        ? outcome.get(item.instance_id)
        : undefined;
    if (resolved === undefined) return item;
    return { ...item, revision: { resolved } };
  });
}
