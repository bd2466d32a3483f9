import { type ReviseRunSummary, reviseTargets, revisionsAccount } from "../bench/revise-run.js";
import type { ReviseSpec } from "../bench/revise-spec.js";
import type { RunDir } from "../bench/run-dir-writer.js";
import { describeQueue } from "./connection.js";
import { type EnqueueResult, enqueueRevisions } from "./enqueue.js";
import { followRevisions } from "./follow-revisions.js";

/**
 * `bench revise --queue`, once the revise spec is kept in the review run's directory (workers rebuild the revisions
 * from it): queues one job per rejected candidate not yet revised and verified, then (with `wait`) follows the jobs to
 * the end and accounts for them as an in-process run does. Without `wait`, returns what was queued.
 */
export async function submitRevisions(
  run: RunDir,
  spec: ReviseSpec,
  options: { queueUrl: string; wait: boolean; signal?: AbortSignal; progress?: NodeJS.WritableStream },
): Promise<{ queued: EnqueueResult; summary?: ReviseRunSummary }> {
  const out = options.progress ?? process.stderr;
  const targets = await reviseTargets(run);
  const queued = await enqueueRevisions(run, targets.todo, {
    queueUrl: options.queueUrl,
    attempts: spec.attempts,
    ...(spec.retryDelayMs === undefined ? {} : { backoffMs: spec.retryDelayMs }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  out.write(
    `[revise] queued ${queued.added} on ${describeQueue(options.queueUrl)}; ${queued.done} already revised, ${queued.pending} already queued` +
      `${queued.failed > 0 ? `, ${queued.failed} in the dead-letter list (swe-review queue retry-failed)` : ""}\n`,
  );
  if (!options.wait) return { queued };
  const { failed } = await followRevisions(run, targets.todo, {
    queueUrl: options.queueUrl,
    rejected: targets.rejected.length,
    ...(options.signal ? { signal: options.signal } : {}),
    progress: out,
  });
  const stopped = options.signal?.aborted ?? false;
  return { queued, summary: revisionsAccount(run, targets, failed, stopped) };
}
