import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../common/logger.js";
import type { LoopRecord } from "../loop/records.js";
import { type LoopEnvironment, type LoopRequest, runLoop } from "../loop/run-loop.js";
import { addUsage, ZERO_USAGE } from "../model/types.js";
import { usageOf, usageRecord } from "../model/usage-record.js";
import { datasetRepoSource, type RepoOverrides } from "../workspace/repo-source.js";
import type { BenchItem } from "./items.js";
import { BENCH_RECORD_VERSION, type InstanceResult } from "./records.js";
import { type ItemOutcome, TRANSIENT_MODEL_ERRORS, withItemRetries } from "./retry-item.js";

export interface TtsItemEnvironment {
  request: Pick<LoopRequest, "strategy" | "budget" | "noVerdict" | "fallback" | "fromPrevious">;
  loop: Omit<LoopEnvironment, "outDir" | "verify" | "onRecord" | "signal">;
  /** Builds the verification hook for the item's instance (absent: samples are not verified). */
  verify?: (item: BenchItem, signal?: AbortSignal) => LoopEnvironment["verify"];
  overrides: RepoOverrides;
  attempts: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

/**
 * Runs the loop on one instance into `<itemDir>/loop` (rounds/, loop.json, final.patch). A model server that could
 * not be reached, a workspace or sandbox that would not start, are retried with the loop started afresh; a model
 * that answers badly is a result. Returns undefined when aborted: nothing is recorded and a re-run redoes the item.
 */
export async function ttsItem(
  item: BenchItem,
  itemDir: string,
  env: TtsItemEnvironment,
): Promise<InstanceResult | undefined> {
  const loopDir = join(itemDir, "loop");
  const signal = env.signal ? { signal: env.signal } : {};
  const outcome: ItemOutcome<LoopRecord> = await withItemRetries(
    async () => {
      rmSync(loopDir, { recursive: true, force: true });
      mkdirSync(loopDir, { recursive: true });
      const verify = env.verify?.(item, env.signal);
      const record = await runLoop(
        {
          ...env.request,
          source: datasetRepoSource(item.instance.repo, env.overrides),
          base: item.instance.base_commit,
          ...(env.loop.generation.sandbox.container?.imageFor
            ? { image: env.loop.generation.sandbox.container.imageFor(item.instance) }
            : {}),
          issue: {
            problemStatement: item.instance.problem_statement,
            instanceId: item.instance.instance_id,
            repo: item.instance.repo,
          },
        },
        {
          ...env.loop,
          ...signal,
          ...(verify ? { verify } : {}),
          outDir: loopDir,
        },
      );
      const transient = transientError(record);
      return transient ? { kind: "retry", error: transient, value: record } : { kind: "done", value: record };
    },
    {
      attempts: env.attempts,
      label: item.key,
      ...(env.retryDelayMs === undefined ? {} : { pauseMs: env.retryDelayMs }),
      ...signal,
      ...(env.logger ? { logger: env.logger } : {}),
    },
  );
  if (outcome.kind === "aborted") return undefined;
  const base = {
    version: BENCH_RECORD_VERSION,
    key: item.key,
    instance_id: item.instance.instance_id,
    candidate_id: item.candidate.candidate_id,
    ...(item.split ? { split: item.split } : {}),
    finished_at: new Date().toISOString(),
  };
  if (outcome.kind === "failed") {
    return {
      ...base,
      status: "failed",
      label: null,
      error: outcome.error,
      usage: usageRecord(ZERO_USAGE),
      steps: 0,
      seconds: 0,
      attempts: outcome.attempts,
    };
  }
  const record = outcome.value;
  return {
    ...base,
    status: "done",
    /** The submitted candidate's verdict, when the samples were verified. */
    label: record.resolved ?? null,
    loop: record,
    usage: usageRecord(addUsage(usageOf(record.tokens.generator), usageOf(record.tokens.reviewer))),
    steps: record.samples.reduce(
      (sum, sample) => sum + sample.generation.steps + (sample.review?.steps ?? 0),
      0,
    ),
    seconds: record.seconds,
    attempts: outcome.attempts,
  };
}

/** A model error that means the server was unreachable or overloaded, in any sample: the loop is worth redoing. */
function transientError(record: LoopRecord): { code: string; message: string } | undefined {
  for (const sample of record.samples) {
    for (const error of [sample.generation.error, sample.review?.error]) {
      const code = error?.split(":")[0];
      if (error && code && TRANSIENT_MODEL_ERRORS.has(code)) {
        return { code, message: error.slice(code.length + 1).trim() };
      }
    }
  }
  return undefined;
}
