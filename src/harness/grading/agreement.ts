import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { InputError } from "../../common/errors.js";
import type { Instance } from "../../data/instance.js";
import { findInstance } from "../../data/load.js";
import { parseRecord, readRecords } from "../../data/records.js";
import { parserFor } from "../specs/resolve.js";
import { gradeLog } from "./grade.js";
import type { GradeResult } from "./grade-result.js";

/**
 * A row of an index of official evaluation logs: the log file (relative to the index), the label the official
 * harness gave, and whether today's SWE-bench grader disagrees with that label on the same log.
 */
export const OfficialLogSchema = z.object({
  instance_id: z.string().min(1),
  log: z.string().min(1),
  official_resolved: z.boolean(),
  harness_version_drift: z.boolean().default(false),
});
export type OfficialLog = z.infer<typeof OfficialLogSchema>;

export interface GradedOfficialLog {
  entry: OfficialLog;
  repo: string;
  result: GradeResult;
}

export interface Agreement {
  /** Rows compared: those without `harness_version_drift`. */
  compared: number;
  agreeing: number;
  byRepo: Record<string, { compared: number; agreeing: number }>;
  disagreements: GradedOfficialLog[];
  /** Rows left out of the figure because the official label predates today's grader. */
  drift: GradedOfficialLog[];
}

/** Grades every log of an index (`index.jsonl` beside the logs) against the instances it names. */
export async function gradeOfficialLogs(
  indexFile: string,
  instances: readonly Instance[],
): Promise<GradedOfficialLog[]> {
  const records = await readRecords(indexFile);
  return records.map((record) => {
    const entry = parseRecord(
      OfficialLogSchema,
      record,
      "an official log entry ({instance_id, log, official_resolved})",
    );
    const instance = findInstance(instances, entry.instance_id, "the dataset");
    if (!instance.FAIL_TO_PASS || !instance.PASS_TO_PASS) {
      throw new InputError(
        "instance_without_tests",
        `${instance.instance_id} has no FAIL_TO_PASS/PASS_TO_PASS lists.`,
      );
    }
    const log = readFileSync(join(dirname(indexFile), entry.log), "utf8");
    const result = gradeLog(
      {
        instance_id: instance.instance_id,
        FAIL_TO_PASS: instance.FAIL_TO_PASS,
        PASS_TO_PASS: instance.PASS_TO_PASS,
      },
      { parser: parserFor(instance) },
      log,
    );
    return { entry, repo: instance.repo, result };
  });
}

/** How often our `resolved` equals the official label, on the rows without harness drift. */
export function agreementWithOfficial(graded: readonly GradedOfficialLog[]): Agreement {
  const agreement: Agreement = { compared: 0, agreeing: 0, byRepo: {}, disagreements: [], drift: [] };
  for (const row of graded) {
    if (row.entry.harness_version_drift) {
      agreement.drift.push(row);
      continue;
    }
    const repo = agreement.byRepo[row.repo] ?? { compared: 0, agreeing: 0 };
    agreement.byRepo[row.repo] = repo;
    const agrees = row.result.resolved === row.entry.official_resolved;
    agreement.compared++;
    repo.compared++;
    if (agrees) {
      agreement.agreeing++;
      repo.agreeing++;
    } else {
      agreement.disagreements.push(row);
    }
  }
  return agreement;
}
