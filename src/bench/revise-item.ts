import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkspaceEnvironment } from "../assembly/agent-environment.js";
import type { Verifier } from "../assembly/verifier.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import type { Logger } from "../common/logger.js";
import type { GenerationResult, Generator } from "../generate/generation.js";
import { GenerationFileReadSchema } from "../generate/result-file.js";
import { runGeneration } from "../generate/run-generation.js";
import { errorParts } from "../harness/run/verify-result.js";
import { usageRecord } from "../model/usage-record.js";
import { renderFeedback } from "../review/render.js";
import type { ReviewReport } from "../review/report.js";
import { ReportFileReadSchema } from "../review/report-file.js";
import { datasetRepoSource, type RepoOverrides } from "../workspace/repo-source.js";
import type { BenchItem } from "./items.js";
import { BENCH_RECORD_VERSION, type RevisionResult } from "./records.js";
import { TRANSIENT_MODEL_ERRORS, withItemRetries } from "./retry-item.js";

export interface ReviseItemEnvironment {
  generator: Generator;
  generation: WorkspaceEnvironment;
  verifier: Verifier;
  overrides: RepoOverrides;
  attempts: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

export type ReviseOutcome =
  | { kind: "revised"; revision: RevisionResult }
  /** The revision could not be made (infrastructure, after retries): nothing recorded, a re-run tries again. */
  | { kind: "failed"; error: { code: string; message: string } }
  | { kind: "aborted" };

/**
 * The RRR protocol for one rejected candidate: the generator revises it once from a clean base with the review's
 * feedback (into `<itemDir>/revision/`), the revision is verified by the instance's tests, and `revision.json` is
 * written last. A revision already made by an earlier run is verified again rather than made again.
 */
export async function reviseItem(
  item: BenchItem,
  itemDir: string,
  env: ReviseItemEnvironment,
): Promise<ReviseOutcome> {
  const dir = join(itemDir, "revision");
  const generated = keptGeneration(dir) ?? (await generate(item, itemDir, dir, env));
  if (generated.kind !== "generated") return generated;
  if (env.signal?.aborted) return { kind: "aborted" };
  const verified = await env.verifier.verify(
    item.instance,
    {
      candidate_id: `${item.candidate.candidate_id}@revision`,
      instance_id: item.instance.instance_id,
      model_patch: generated.patch,
    },
    join(dir, "verify.log"),
    env.signal,
  );
  if (env.signal?.aborted && verified.resolved === null) return { kind: "aborted" };
  writeJsonAtomic(join(dir, "verify.json"), verified);
  const revision: RevisionResult = {
    version: BENCH_RECORD_VERSION,
    resolved: verified.resolved,
    applied: verified.applied ?? false,
    patch_bytes: Buffer.byteLength(generated.patch),
    generator_status: generated.status,
    usage: generated.usage,
    seconds: generated.seconds + verified.seconds,
    ...(verified.error ? { error: errorParts(verified.error) } : {}),
  };
  writeJsonAtomic(join(itemDir, "revision.json"), revision);
  return { kind: "revised", revision };
}

type Generated =
  | { kind: "generated"; patch: string; status: string; usage: RevisionResult["usage"]; seconds: number }
  | Exclude<ReviseOutcome, { kind: "revised" }>;

async function generate(
  item: BenchItem,
  itemDir: string,
  dir: string,
  env: ReviseItemEnvironment,
): Promise<Generated> {
  const feedback = renderFeedback(readReport(itemDir));
  const outcome = await withItemRetries<GenerationResult>(
    async () => {
      const result = await runGeneration(
        {
          source: datasetRepoSource(item.instance.repo, env.overrides),
          base: item.instance.base_commit,
          ...(env.generation.sandbox.container?.imageFor
            ? { image: env.generation.sandbox.container.imageFor(item.instance) }
            : {}),
          issue: {
            problemStatement: item.instance.problem_statement,
            instanceId: item.instance.instance_id,
            repo: item.instance.repo,
          },
          revision: { feedback, previousPatch: item.candidate.model_patch, fromPrevious: false },
        },
        env.generator,
        { ...env.generation, outDir: dir, ...(env.signal ? { signal: env.signal } : {}) },
      );
      if (result.error && TRANSIENT_MODEL_ERRORS.has(result.error.code)) {
        return { kind: "retry", error: result.error, value: result };
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
  if (outcome.kind === "aborted" || (outcome.kind === "done" && outcome.value.status === "aborted")) {
    return { kind: "aborted" };
  }
  if (outcome.kind === "failed") return { kind: "failed", error: outcome.error };
  const { patch, status, usage, seconds } = outcome.value;
  return { kind: "generated", patch, status, usage: usageRecord(usage), seconds };
}

/** A revision an earlier run made (its result.json and patch), unless its model failed for want of a server. */
function keptGeneration(dir: string): Generated | undefined {
  const resultFile = join(dir, "result.json");
  const patchFile = join(dir, "candidate.patch");
  if (!existsSync(resultFile) || !existsSync(patchFile)) return undefined;
  const parsed = GenerationFileReadSchema.safeParse(JSON.parse(readFileSync(resultFile, "utf8")));
  if (!parsed.success || parsed.data.status === "aborted") return undefined;
  if (parsed.data.error && TRANSIENT_MODEL_ERRORS.has(parsed.data.error.code)) return undefined;
  const { status, usage, seconds } = parsed.data;
  return { kind: "generated", patch: readFileSync(patchFile, "utf8"), status, usage, seconds };
}

/** The review's report from the item's report.json (null when the review produced none). */
function readReport(itemDir: string): ReviewReport | null {
  const file = join(itemDir, "report.json");
  if (!existsSync(file)) return null;
  const saved = ReportFileReadSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return saved.success ? saved.data.report : null;
}
