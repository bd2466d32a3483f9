import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../common/atomic-write.js";
import type { Logger } from "../common/logger.js";
import { ZERO_USAGE } from "../model/types.js";
import { usageRecord } from "../model/usage-record.js";
import {
  type ReviewEnvironment,
  type ReviewMode,
  type ReviewResult,
  runReview,
} from "../review/run-review.js";
import { datasetRepoSource, type RepoOverrides } from "../workspace/repo-source.js";
import type { BenchItem } from "./items.js";
import { BENCH_RECORD_VERSION, type InstanceResult, type ReviewSummary } from "./records.js";
import { type ItemOutcome, TRANSIENT_MODEL_ERRORS, withItemRetries } from "./retry-item.js";

export interface ReviewItemEnvironment {
  review: Omit<ReviewEnvironment, "outDir" | "signal">;
  mode: ReviewMode;
  overrides: RepoOverrides;
  attempts: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

/**
 * Reviews one benchmark item into its folder (candidate.json, report.json, trajectory.jsonl). An unreachable or failing model server, a workspace or
 * sandbox that would not start, are retried; a model that answers without a verdict is a result (a model failure).
 * Returns undefined when aborted: nothing is recorded and a re-run redoes the item.
 */
export async function reviewItem(
  item: BenchItem,
  itemDir: string,
  env: ReviewItemEnvironment,
): Promise<InstanceResult | undefined> {
  mkdirSync(itemDir, { recursive: true });
  writeJsonAtomic(join(itemDir, "candidate.json"), {
    ...item.candidate,
    label: item.label,
    ...(item.split ? { split: item.split } : {}),
  });
  const outcome: ItemOutcome<ReviewResult> = await withItemRetries(
    async () => {
      const result = await runReview(
        {
          source: datasetRepoSource(item.instance.repo, env.overrides),
          base: item.instance.base_commit,
          ...(env.review.sandbox.container?.imageFor
            ? { image: env.review.sandbox.container.imageFor(item.instance) }
            : {}),
          issue: item.instance.problem_statement,
          patch: item.candidate.model_patch,
          mode: env.mode,
          instanceId: item.instance.instance_id,
          repo: item.instance.repo,
          ...(item.instance.version ? { version: item.instance.version } : {}),
          ...(item.candidate.pr_title ? { prTitle: item.candidate.pr_title } : {}),
          ...(item.candidate.pr_body ? { prBody: item.candidate.pr_body } : {}),
        },
        { ...env.review, outDir: itemDir, ...(env.signal ? { signal: env.signal } : {}) },
      );
      if (
        result.outcome.decision === null &&
        result.agentError &&
        TRANSIENT_MODEL_ERRORS.has(result.agentError.code)
      ) {
        return { kind: "retry", error: result.agentError, value: result };
      }
      return { kind: "done", value: result };
    },
    {
      attempts: env.attempts,
      label: item.key,
      ...(env.retryDelayMs === undefined ? {} : { pauseMs: env.retryDelayMs }),
      ...(env.signal ? { signal: env.signal } : {}),
      ...(env.logger ? { logger: env.logger } : {}),
    },
  );
  const base = {
    version: BENCH_RECORD_VERSION,
    key: item.key,
    instance_id: item.instance.instance_id,
    candidate_id: item.candidate.candidate_id,
    ...(item.split ? { split: item.split } : {}),
    label: item.label,
    finished_at: new Date().toISOString(),
  };
  if (outcome.kind === "aborted" || (outcome.kind === "done" && outcome.value.outcome.status === "aborted"))
    return undefined;
  if (outcome.kind === "failed") {
    return {
      ...base,
      status: "failed",
      error: outcome.error,
      usage: usageRecord(ZERO_USAGE),
      steps: 0,
      seconds: 0,
      attempts: outcome.attempts,
    };
  }
  const review = outcome.value;
  return {
    ...base,
    status: "done",
    review: reviewSummary(review),
    usage: usageRecord(review.usage),
    steps: review.steps,
    seconds: review.seconds,
    attempts: outcome.attempts,
  };
}

function reviewSummary(review: ReviewResult): ReviewSummary {
  const { outcome } = review;
  return {
    mode: review.mode,
    decision: outcome.decision,
    confidence: outcome.report?.decision.confidence ?? null,
    source: outcome.source,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.status ? { agent_status: outcome.status } : {}),
    defects: (outcome.report?.defects ?? []).map((defect) => ({
      severity: defect.severity,
      category: defect.category,
      path: defect.location?.path ?? null,
      start_line: defect.location?.start_line ?? null,
      end_line: defect.location?.end_line ?? null,
    })),
  };
}
