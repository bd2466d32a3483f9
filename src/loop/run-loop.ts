import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { type Clock, systemClock } from "../common/clock.js";
import { SweReviewError } from "../common/errors.js";
import type {
  GenerationEnvironment,
  GenerationRequest,
  GenerationResult,
  Generator,
} from "../generate/generation.js";
import { runGeneration } from "../generate/run-generation.js";
import { usageReportRecord } from "../generate/usage-report-record.js";
import { isUnreachable, MODEL_UNREACHABLE } from "../model/errors.js";
import { addUsage, ZERO_USAGE } from "../model/types.js";
import { usageOf, usageRecord } from "../model/usage-record.js";
import { type ReviewEnvironment, type ReviewResult, runReview } from "../review/run-review.js";
import { LoopRecordReadSchema } from "./legacy-record.js";
import {
  generatorUsage,
  LOOP_RECORD_VERSION,
  type LoopRecord,
  type SampleRecord,
  type Strategy,
} from "./records.js";
import {
  bestOfN,
  type Fallback,
  gated,
  iterative,
  type LoopSteps,
  type NoVerdictPolicy,
} from "./strategies.js";

/**
 * One issue to resolve by generating, reviewing and revising: the `GenerationRequest` (repository, base, issue)
 * and how to spend the samples.
 */
export interface LoopRequest extends Omit<GenerationRequest, "revision"> {
  /**
   * `iterative`: generate, review, revise with the feedback until approved (the last sample is submitted
   * unreviewed). `gated`: independent samples until one is approved. `best-of-n`: `budget` samples, all reviewed,
   * the approved one the reviewer is most confident in.
   */
  strategy: Strategy;
  /** K: the most samples (generations) to spend. */
  budget: number;
  /** `iterative`: a review without a verdict stops the loop, keeping that patch (`stop`, the default), or counts as
   * a rejection (`reject`). */
  noVerdict?: NoVerdictPolicy;
  /** `gated` and `best-of-n`, when nothing is approved: submit the `last` sample (the default), or the one rejected
   * least confidently (`most-confident`). */
  fallback?: Fallback;
  /** Revise from the previous patch instead of from a clean base (the published default); here, default false. */
  fromPrevious?: boolean;
}

/** What the loop runs with: a generator and its environment, the reviewer's environment, and an output folder. */
export interface LoopEnvironment {
  /** Who writes each sample (`Generator`). */
  generator: Generator;
  /** The generation environment without its output folder (each sample gets its own). */
  generation: Omit<GenerationEnvironment, "outDir">;
  /** The reviewer's environment (its model among it) without its output folder. */
  review: Omit<ReviewEnvironment, "outDir">;
  /** Whether a sample resolves the issue (the harness), when asked to verify; `dir` is the sample's round folder. */
  verify?: (
    sample: number,
    patch: string,
    dir: string,
  ) => Promise<{ resolved: boolean | null; error?: string }>;
  /** Where `loop.json`, `final.patch` and `rounds/<NN>-<generation|revision>/` (each sample's files) go. */
  outDir: string;
  clock?: Clock;
  /** Stops the loop: the step in flight ends early, no further step starts, and runLoop rejects with `aborted`. */
  signal?: AbortSignal;
  /** Called after every step with the record so far (progress displays). */
  onRecord?: (record: LoopRecord) => void;
}

/**
 * Resolves with the `LoopRecord` also written as `loop.json`: every sample, the one submitted, the outcome
 * (`approved`, `none_approved`, `no_verdict`), tokens spent by generator and reviewer, and `resolved` when `verify`
 * was given. Runs a strategy over real generations and reviews: every sample under `rounds/`, `loop.json` rewritten after every
 * step (a crash keeps what was done), `final.patch` the submitted candidate. A model server found unreachable ends
 * the loop (it rejects with `model_unreachable`, exit 2): no further step would get an answer.
 */
export async function runLoop(request: LoopRequest, env: LoopEnvironment): Promise<LoopRecord> {
  const clock = env.clock ?? systemClock;
  const started = clock.now();
  const rounds = join(env.outDir, "rounds");
  mkdirSync(rounds, { recursive: true });
  const record: LoopRecord = {
    version: LOOP_RECORD_VERSION,
    strategy: request.strategy,
    budget: request.budget,
    samples: [],
    samples_spent: 0,
    reviewer_calls: 0,
    submitted: null,
    outcome: null,
    tokens: { generator: usageRecord(ZERO_USAGE), reviewer: usageRecord(ZERO_USAGE) },
    seconds: 0,
  };
  const patches = new Map<number, string>();
  const save = () => {
    record.seconds = (clock.now() - started) / 1000;
    writeJsonAtomic(join(env.outDir, "loop.json"), record);
    env.onRecord?.(record);
  };

  const signal = env.signal ? { signal: env.signal } : {};
  const stopIfAborted = () => {
    if (env.signal?.aborted) {
      save();
      throw new SweReviewError("aborted", `the loop was stopped; the rounds so far are in ${rounds}`);
    }
  };
  const stopIfUnreachable = (
    n: number,
    role: "generator" | "reviewer",
    error: { code: string; message: string } | undefined,
  ) => {
    if (!error || !isUnreachable(error)) return;
    save();
    throw new SweReviewError(
      MODEL_UNREACHABLE,
      `The loop stopped at sample ${n}: the ${role}'s model server cannot be reached. ${error.message} ` +
        `The rounds so far are in ${rounds}.`,
      { exitCode: 2 },
    );
  };
  const steps: LoopSteps = {
    generate: async (n, revision) => {
      stopIfAborted();
      const kind = revision ? "revision" : "generation";
      const dir = join(rounds, `${String(n).padStart(2, "0")}-${kind}`);
      const result: GenerationResult = await runGeneration(
        {
          source: request.source,
          base: request.base,
          ...(request.image ? { image: request.image } : {}),
          issue: request.issue,
          ...(revision ? { revision: { ...revision, fromPrevious: request.fromPrevious ?? false } } : {}),
        },
        env.generator,
        { ...env.generation, outDir: dir, ...signal },
      );
      patches.set(n, result.patch);
      const sample: SampleRecord = {
        sample: n,
        kind,
        dir,
        patch_bytes: Buffer.byteLength(result.patch),
        generation: {
          status: result.status,
          ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
          usage: usageRecord(result.usage),
          usage_report: usageReportRecord(result.usageReport),
          steps: result.steps,
          seconds: result.seconds,
        },
      };
      record.samples.push(sample);
      record.samples_spent++;
      record.tokens.generator = usageRecord(addUsage(usageOf(record.tokens.generator), result.usage));
      record.tokens.generator_usage = generatorUsage(record.samples);
      stopIfAborted();
      stopIfUnreachable(n, "generator", result.error);
      if (env.verify) {
        const verified = await env.verify(n, result.patch, dir);
        sample.resolved = verified.resolved;
        if (verified.error) sample.verify_error = verified.error;
      }
      save();
      return { patch: result.patch, prTitle: result.prTitle, prBody: result.prBody };
    },
    review: async (n, candidate) => {
      stopIfAborted();
      const dir = join(rounds, `${String(n).padStart(2, "0")}-review`);
      const result: ReviewResult = await runReview(
        {
          source: request.source,
          base: request.base,
          ...(request.image ? { image: request.image } : {}),
          issue: request.issue.problemStatement,
          patch: candidate.patch,
          mode: "agentic",
          ...(request.issue.instanceId ? { instanceId: request.issue.instanceId } : {}),
          ...(request.issue.repo ? { repo: request.issue.repo } : {}),
          ...(request.issue.version ? { version: request.issue.version } : {}),
          ...(candidate.prTitle ? { prTitle: candidate.prTitle } : {}),
          ...(candidate.prBody ? { prBody: candidate.prBody } : {}),
        },
        { ...env.review, outDir: dir, ...signal },
      );
      stopIfAborted();
      const sample = record.samples.find((s) => s.sample === n);
      if (sample) {
        sample.review = {
          decision: result.outcome.decision,
          confidence: result.outcome.report?.decision.confidence ?? null,
          source: result.outcome.source,
          usage: usageRecord(result.usage),
          steps: result.steps,
          seconds: result.seconds,
          dir,
          ...(result.agentError ? { error: `${result.agentError.code}: ${result.agentError.message}` } : {}),
        };
      }
      record.reviewer_calls++;
      record.tokens.reviewer = usageRecord(addUsage(usageOf(record.tokens.reviewer), result.usage));
      stopIfUnreachable(n, "reviewer", result.agentError);
      save();
      return { decision: result.outcome.decision, report: result.outcome.report };
    },
  };

  const noVerdict = request.noVerdict ?? "stop";
  const fallback = request.fallback ?? "last";
  const result =
    request.strategy === "iterative"
      ? await iterative(steps, request.budget, { noVerdict })
      : request.strategy === "gated"
        ? await gated(steps, request.budget, { fallback })
        : await bestOfN(steps, request.budget, { fallback });
  record.submitted = result.submitted;
  record.outcome = result.outcome;
  const submitted =
    result.submitted === null ? undefined : record.samples.find((s) => s.sample === result.submitted);
  if (submitted && submitted.resolved !== undefined) record.resolved = submitted.resolved;
  writeFileSync(
    join(env.outDir, "final.patch"),
    result.submitted === null ? "" : (patches.get(result.submitted) ?? ""),
  );
  save();
  return record;
}

/** Reads a loop's record back (for the benchmark's accounting), a legacy one upgraded (legacy-record.ts). */
export function readLoopRecord(dir: string): LoopRecord {
  return LoopRecordReadSchema.parse(JSON.parse(readFileSync(join(dir, "loop.json"), "utf8")));
}
