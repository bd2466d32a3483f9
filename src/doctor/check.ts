import { z } from "zod";

export const CHECK_STATUSES = ["ok", "warn", "fail", "skip"] as const;

/** The outcome of one check: what was found and, when something is wrong, what to do about it. */
export const CheckResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(CHECK_STATUSES),
  summary: z.string(),
  fix: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type CheckOutcome = Omit<CheckResult, "id" | "title">;

/**
 * One diagnosis step over a context (an endpoint today; a dataset's instances later). `requires` names checks
 * that must not have failed for this one to run; a check can read earlier results.
 */
export interface Check<Context> {
  id: string;
  title: string;
  requires?: readonly string[];
  run(context: Context, earlier: ReadonlyMap<string, CheckResult>): Promise<CheckOutcome>;
}

/**
 * Runs checks in order, skipping those whose requirements failed or were skipped, and turning a check that
 * throws into a failure that says so. Calls `onResult` as each result is known (for live output).
 */
export async function runChecks<Context>(
  checks: readonly Check<Context>[],
  context: Context,
  onResult?: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  const results = new Map<string, CheckResult>();
  for (const check of checks) {
    const blocked = (check.requires ?? []).find((id) => {
      const status = results.get(id)?.status;
      return status === "fail" || status === "skip";
    });
    let outcome: CheckOutcome;
    if (blocked !== undefined) {
      outcome = { status: "skip", summary: `skipped: needs '${blocked}' to pass first` };
    } else {
      try {
        outcome = await check.run(context, results);
      } catch (error) {
        outcome = {
          status: "fail",
          summary: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }
    const result: CheckResult = { id: check.id, title: check.title, ...outcome };
    results.set(check.id, result);
    onResult?.(result);
  }
  return [...results.values()];
}
