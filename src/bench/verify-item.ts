import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Verifier } from "../assembly/verifier.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import type { Logger } from "../common/logger.js";
import { errorParts, type VerifyResult, VerifyResultSchema } from "../harness/run/verify-result.js";
import { ZERO_USAGE } from "../model/types.js";
import { usageRecord } from "../model/usage-record.js";
import type { BenchItem } from "./items.js";
import { BENCH_RECORD_VERSION, type InstanceResult } from "./records.js";
import { type ItemOutcome, withItemRetries } from "./retry-item.js";

export interface VerifyItemEnvironment {
  verifier: Verifier;
  attempts: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

/** Errors that running again will not fix: the item fails at once (a re-run after the fix tries it again). */
const LASTING_ERRORS = ["no_test_spec", "instance_without_tests", "test_command_unavailable"];

/**
 * Labels one candidate: a candidate that already has a label keeps it; otherwise its tests run (verify.json and
 * verify.log in the item's folder) and `resolved` becomes its label. A run that could not judge it (setup failure,
 * sandbox) is retried, and after the last attempt recorded as failed, so a re-run tries again.
 */
export async function verifyItem(
  item: BenchItem,
  itemDir: string,
  env: VerifyItemEnvironment,
): Promise<InstanceResult | undefined> {
  mkdirSync(itemDir, { recursive: true });
  const base = {
    version: BENCH_RECORD_VERSION,
    key: item.key,
    instance_id: item.instance.instance_id,
    candidate_id: item.candidate.candidate_id,
    ...(item.split ? { split: item.split } : {}),
    usage: usageRecord(ZERO_USAGE),
    steps: 0,
  };
  if (item.label !== null) {
    return {
      ...base,
      status: "done",
      label: item.label,
      labelled_by: "dataset",
      seconds: 0,
      attempts: 1,
      finished_at: new Date().toISOString(),
    };
  }
  const kept = keptVerdict(itemDir, item.candidate.candidate_id);
  const outcome: ItemOutcome<VerifyResult> = kept
    ? { kind: "done", value: kept, attempts: 1 }
    : await withItemRetries(
        async () => {
          const result = await env.verifier.verify(
            item.instance,
            item.candidate,
            join(itemDir, "verify.log"),
            env.signal,
          );
          // stopped mid-run: nothing to keep (a verdict reached as the stop came is kept for the next run)
          if (env.signal?.aborted && result.resolved === null) return { kind: "done", value: result };
          writeJsonAtomic(join(itemDir, "verify.json"), result);
          if (result.resolved !== null || !result.error) return { kind: "done", value: result };
          if (LASTING_ERRORS.some((code) => result.error?.startsWith(`${code}:`)))
            return { kind: "done", value: result };
          return { kind: "retry", error: errorParts(result.error), value: result };
        },
        {
          attempts: env.attempts,
          label: item.key,
          ...(env.retryDelayMs === undefined ? {} : { pauseMs: env.retryDelayMs }),
          ...(env.signal ? { signal: env.signal } : {}),
          ...(env.logger ? { logger: env.logger } : {}),
        },
      );
  if (outcome.kind === "aborted") return undefined;
  const finished_at = new Date().toISOString();
  if (outcome.kind === "failed" || outcome.value.resolved === null) {
    const error =
      outcome.kind === "failed" ? outcome.error : errorParts(outcome.value.error ?? "unjudged: no verdict");
    return {
      ...base,
      status: "failed",
      label: null,
      error,
      seconds: outcome.kind === "failed" ? 0 : outcome.value.seconds,
      attempts: outcome.attempts,
      finished_at,
    };
  }
  return {
    ...base,
    status: "done",
    label: outcome.value.resolved,
    labelled_by: "tests",
    seconds: outcome.value.seconds,
    attempts: outcome.attempts,
    finished_at,
  };
}

/**
 * A verdict an earlier run reached but did not record (it was stopped as the tests ended): the dataset is the same
 * (the run directory checks), so it stands.
 */
function keptVerdict(itemDir: string, candidateId: string): VerifyResult | undefined {
  const file = join(itemDir, "verify.json");
  if (!existsSync(file)) return undefined;
  const parsed = VerifyResultSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success || parsed.data.candidate_id !== candidateId || parsed.data.resolved === null)
    return undefined;
  return parsed.data;
}
