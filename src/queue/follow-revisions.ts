import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchItem } from "../bench/items.js";
import { RevisionResultReadSchema } from "../bench/records.js";
import { describeRevision } from "../bench/revise-run.js";
import type { RunDir } from "../bench/run-dir-writer.js";
import { benchJobId } from "./job.js";
import { withQueue } from "./open-queue.js";

/**
 * Follows the queued revisions of a review run until each one's job has completed or failed for good (or the signal
 * aborts: the jobs keep running), with a progress line per revision. Returns the keys whose revision failed.
 */
export async function followRevisions(
  run: RunDir,
  items: readonly BenchItem[],
  options: {
    queueUrl: string;
    /** How many rejected candidates there are in all (the progress lines count from those already revised). */
    rejected: number;
    signal?: AbortSignal;
    intervalMs?: number;
    progress?: NodeJS.WritableStream;
  },
): Promise<{ failed: string[] }> {
  const out = options.progress ?? process.stderr;
  const open = new Set(items.map((item) => item.key));
  const failed: string[] = [];
  let done = options.rejected - items.length;
  await withQueue(
    options.queueUrl,
    async (queue) => {
      while (!options.signal?.aborted && open.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
        for (const key of [...open]) {
          const job = await queue.getJob(benchJobId(run.manifest.run_id, key, "revise"));
          const file = join(run.itemDir(key), "revision.json");
          // No job: removed after completing (it is kept a day), or drained from the queue.
          const state = job ? await job.getState() : existsSync(file) ? "completed" : "gone";
          if (state !== "completed" && state !== "failed" && state !== "gone") continue;
          open.delete(key);
          done += 1;
          let line: string;
          if (state === "completed" && existsSync(file)) line = revisionLine(file);
          else if (state === "completed") {
            failed.push(key); // a re-submission queues it again
            line = "its job completed without writing revision.json";
          } else {
            failed.push(key);
            line = state === "gone" ? "no longer on the queue (drained?)" : `failed (${job?.failedReason})`;
          }
          out.write(`[revise] ${done}/${options.rejected} · ${key}: ${line}\n`);
        }
      }
    },
    options.signal ? { signal: options.signal } : {},
  );
  return { failed };
}

function revisionLine(file: string): string {
  const parsed = RevisionResultReadSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success ? describeRevision(parsed.data) : "unreadable revision.json";
}
