import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../common/atomic-write.js";
import type { Logger } from "../common/logger.js";
import type { VerifyResult } from "../harness/run/verify-result.js";
import type { Verifier } from "../runtime/verifier.js";
import type { BenchItem } from "./items.js";
import type { InstanceResult } from "./records.js";
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
    key: item.key,
    instance_id: item.instance.instance_id,
    candidate_id: item.candidate.candidate_id,
    ...(item.split ? { split: item.split } : {}),
    usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0, costUsd: 0 },
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
  const outcome: ItemOutcome<VerifyResult> = await withItemRetries(
    async () => {
      const result = await env.verifier.verify(item.instance, item.candidate, join(itemDir, "verify.log"));
      writeJsonAtomic(join(itemDir, "verify.json"), result);
      if (result.resolved !== null || !result.error) return { kind: "done", value: result };
      if (LASTING_ERRORS.some((code) => result.error?.startsWith(`${code}:`)))
        return { kind: "done", value: result };
      return { kind: "retry", error: splitError(result.error), value: result };
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
      outcome.kind === "failed" ? outcome.error : splitError(outcome.value.error ?? "unjudged: no verdict");
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

function splitError(error: string): { code: string; message: string } {
  const at = error.indexOf(":");
  return at > 0
    ? { code: error.slice(0, at), message: error.slice(at + 1).trim() }
    : { code: "verify_failed", message: error };
}
