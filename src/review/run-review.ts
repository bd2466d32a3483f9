import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BudgetInput } from "../agent/budget.js";
import type { ContextGuard } from "../agent/context-guard.js";
import { runRole } from "../agent/role.js";
import type { StepProgress } from "../agent/run-agent.js";
import { type AgentPlace, type AgentPlaceEnvironment, openAgentPlace } from "../agent-place/agent-place.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { type Clock, systemClock } from "../common/clock.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { SecretScrubber } from "../common/secrets.js";
import { DEFAULT_MAX_STEPS } from "../config/schema.js";
import type { Model, Usage } from "../model/types.js";
import { usageRecord } from "../model/usage-record.js";
import { trajectoryHeader } from "../trajectory/header.js";
import { UsageTally } from "../trajectory/usage-tally.js";
import { type TrajectorySink, TrajectoryWriter } from "../trajectory/writer.js";
import { VERSION } from "../version.js";
import type { RepoSource } from "../workspace/repo-source.js";
import { throwIfLost } from "../workspace/sandbox/lost.js";
import { startSandbox } from "../workspace/sandbox/open.js";
import type { Workspace } from "../workspace/workspace.js";
import { agenticReviewer } from "./agentic-role.js";
import type { ReviewOutcome } from "./outcome.js";
import { precheckPatch } from "./patch-check.js";
import { ToolActivity } from "./report-as-left.js";
import { REPORT_FILE_VERSION, type ReportFile } from "./report-file.js";
import { type SingleTurnMode, singleTurnReviewer } from "./single-turn-role.js";

/**
 * Which reviewer: `agentic` (the agent explores the repository and runs commands in a sandbox), or a single-turn
 * baseline that sees the diff only (`single-turn-diff`) or the diff with the pre-change files (`single-turn-context`).
 */
export type ReviewMode = "agentic" | SingleTurnMode;
/** Every `ReviewMode`, for option parsing and help texts. */
export const REVIEW_MODES = [
  "agentic",
  "single-turn-diff",
  "single-turn-context",
] as const satisfies readonly ReviewMode[];

/**
 * What to review: a patch against a repository at a base revision, and the issue it claims to resolve. The
 * reviewer sees these as files under `/review_data` (`problem_statement.md`, the patch, the PR text) beside the
 * checkout at `/testbed`.
 */
export interface ReviewRequest {
  /** Where the repository comes from: `resolveRepoSource("owner/name")`, a URL, or a local clone's path. */
  source: RepoSource;
  /** Commit, branch or tag the patch is against. */
  base: string;
  /** The issue the patch claims to resolve, as Markdown or plain text. */
  issue: string;
  /** The candidate, a unified diff (`git diff` output) against `base`. A patch that does not apply is rejected
   * without calling the model (`outcome.source: "precheck"`). */
  patch: string;
  /** The pull request's title and body, when there is one; shown to the reviewer. */
  prTitle?: string;
  prBody?: string;
  /** Names the review in the trajectory and review data; default `"review"`. */
  instanceId?: string;
  /** `owner/name`, for the review data (and the test spec whose setup prepares the workspace). */
  repo?: string;
  /** The dataset instance's version, for its test spec. */
  version?: string;
  /**
   * `agentic`: the reviewer agent explores and runs code in the sandbox (the paper's protocol). `single-turn-diff`
   * and `single-turn-context`: one model call over the diff (and the files it touches), the baselines; they run
   * nothing.
   */
  mode: ReviewMode;
  /**
   * With the `docker` sandbox: the image whose `/testbed` holds the repository (a SWE-bench instance image). No
   * host clone is made; `source` is not used.
   */
  image?: string;
}

/**
 * What a review runs with: the model, its limits, where repositories and workspaces live, how commands are
 * isolated (`AgentPlaceEnvironment`, shared with a generation's), and where the results go. The same environment
 * serves many reviews (only `outDir` differs).
 */
export interface ReviewEnvironment extends AgentPlaceEnvironment {
  /** The reviewer: `createModel(requireModel(loadConfig().config.model))`, or a scripted model in tests. */
  model: Model;
  /** Steps, tokens, wall time and cost the agent may spend (`DEFAULT_MAX_STEPS`, 100 steps, by default when empty). */
  budget: BudgetInput;
  /** Where report.json and trajectory.jsonl go (created when missing; a previous trajectory.jsonl is replaced). */
  outDir: string;
  /** Keep the checkout after the review (to inspect what the reviewer did); default false. */
  keepWorkspace?: boolean;
  /** A fresh context guard per agent run (it learns from one conversation). */
  contextGuard?: () => ContextGuard | undefined;
  /** Advertise the tools' `security_risk` parameter (as the OpenHands SDK did at inference); default false. */
  securityRisk?: boolean;
  /**
   * How long a terminal command without its own timeout may run before the reviewer gets its output so far (and
   * may wait longer, send input or interrupt it); default 30 s.
   */
  softTimeoutMs?: number;
  /** Values never written to the trajectory or report.json (API keys, URL credentials). */
  secrets?: string[];
  /** Recorded in the trajectory header (secrets redacted). */
  config?: unknown;
  /** Structured logs (pino); default silent. */
  logger?: Logger;
  /** Time source; tests pass a `ManualClock`. */
  clock?: Clock;
  /** Aborting ends the review early: the sandbox is closed and the agent stops with status `aborted`. */
  signal?: AbortSignal;
  /** Called after every agent step (progress displays). */
  onStep?: (progress: StepProgress) => void;
}

/**
 * How a review ended. `runReview` resolves with a result whenever the review ran to an end, even without a
 * verdict (a model failure gives `outcome.decision: null` and `agentError`); it rejects only when the review could
 * not run: the repository or base could not be fetched, the sandbox could not start or was lost (a `SweReviewError`
 * with a `code`).
 */
export interface ReviewResult {
  /** The verdict (`decision`: `approve`, `request_changes`, or null), the report, and where it came from. */
  outcome: ReviewOutcome;
  /** The agent run's error, when it ended with one (e.g. the model server could not be reached). */
  agentError?: { code: string; message: string };
  mode: ReviewMode;
  /** The commit `base` resolved to. */
  commit: string;
  /** Tokens (and cost, when the model's pricing is known) over all model calls. */
  usage: Usage;
  /** Model calls made. */
  steps: number;
  seconds: number;
  /** `outDir/report.json`: `reportFile`, written atomically. */
  reportPath: string;
  /** `outDir/trajectory.jsonl`: every event of the run, one JSON object per line (`readTrajectory`). */
  trajectoryPath: string;
  /** What `report.json` holds. */
  reportFile: ReportFile;
}

/**
 * Reviews one patch: a checkout of `request.source` at `request.base` (from the cache, never the user's own working
 * tree), prechecks (does the patch apply?), the reviewer in its sandbox, a verdict, and `report.json` +
 * `trajectory.jsonl` in `env.outDir`. Use `renderFeedback(result.outcome.report)` for the text a generator revises
 * against.
 */
export async function runReview(request: ReviewRequest, env: ReviewEnvironment): Promise<ReviewResult> {
  const clock = env.clock ?? systemClock;
  const logger = env.logger ?? silentLogger;
  const started = clock.now();
  mkdirSync(env.outDir, { recursive: true });
  const trajectoryPath = join(env.outDir, "trajectory.jsonl");
  rmSync(trajectoryPath, { force: true });
  const writer = new TrajectoryWriter(trajectoryPath, { secrets: env.secrets ?? [] });
  const tally = new UsageTally(writer);
  const meta = { instance_id: request.instanceId ?? "review", mode: request.mode };
  let place: AgentPlace | undefined;
  let outcome: ReviewOutcome;
  let agentError: ReviewResult["agentError"];
  try {
    place = await openAgentPlace(
      {
        source: request.source,
        base: request.base,
        ...(request.image ? { image: request.image } : {}),
        reviewData: {
          instanceId: request.instanceId ?? "review",
          repo: request.repo ?? "local/repository",
          problemStatement: request.issue,
          patch: request.patch,
          ...(request.prTitle === undefined ? {} : { prTitle: request.prTitle }),
          ...(request.prBody === undefined ? {} : { prBody: request.prBody }),
        },
        run: `review ${request.instanceId ?? "review"}`,
        subject: {
          ...(request.repo ? { repo: request.repo } : {}),
          ...(request.version ? { version: request.version } : {}),
        },
        // The single-turn modes run nothing: they read a host checkout.
        container: env.sandbox.kind === "docker" && request.mode === "agentic",
      },
      // Nor do they need its dependencies: the setup would only run the repository's commands for nothing.
      request.mode === "agentic" ? env : withoutSetup(env),
      logger,
    );
    const precheck = await precheckPatch(request.patch, place.applier);
    if (precheck) {
      await place.box?.close();
      writePrecheckTrajectory(tally, env.model, meta, clock);
      outcome = precheck;
      tally.write({ type: "result", result: outcome });
    } else {
      const guard = env.contextGuard?.();
      const common = {
        model: env.model,
        trajectory: tally,
        clock,
        logger,
        meta,
        ...(env.config === undefined ? {} : { config: env.config }),
        ...(env.signal ? { signal: env.signal } : {}),
        ...(env.onStep ? { onStep: env.onStep } : {}),
        ...(guard ? { contextGuard: guard } : {}),
      };
      if (request.mode === "agentic") {
        // Started, not awaited: it comes up while the model thinks about its first step.
        const sandbox = place.box ?? startSandbox(place.workspace as Workspace, { ...place.sandbox, logger });
        // An abort ends whatever runs in the sandbox now, rather than when the command in flight returns.
        const closeOnAbort = () => void sandbox.close();
        env.signal?.addEventListener("abort", closeOnAbort, { once: true });
        try {
          const maxSteps = maxStepsOf(env.budget);
          const reviewed = await runRole(
            agenticReviewer,
            {
              workspace: { state: place.state },
              sandbox,
              activity: new ToolActivity(),
              maxSteps,
              logger,
              ...(env.securityRisk === undefined ? {} : { securityRisk: env.securityRisk }),
              ...(env.softTimeoutMs === undefined ? {} : { softTimeoutMs: env.softTimeoutMs }),
            },
            { ...common, budget: env.budget },
          );
          // A sandbox that never started is an infrastructure failure, whatever the agent made of it.
          await sandbox.ready;
          throwIfLost(sandbox.lost());
          outcome = reviewed.result;
          agentError = reviewed.run.error;
        } finally {
          env.signal?.removeEventListener("abort", closeOnAbort);
          await sandbox.close();
        }
      } else {
        await place.box?.close();
        const input = {
          mode: request.mode,
          issue: request.issue,
          patch: request.patch,
          checkout: (place.workspace as Workspace).testbed,
          logger,
          ...(request.prTitle === undefined ? {} : { prTitle: request.prTitle }),
          ...(request.prBody === undefined ? {} : { prBody: request.prBody }),
        };
        const reviewed = await runRole(singleTurnReviewer, input, {
          ...common,
          budget: { maxSteps: 1 },
          requestOptions: { maxTokens: 4096 },
        });
        outcome = reviewed.result;
        agentError = reviewed.run.error;
      }
    }
  } finally {
    writer.close();
    if (place && !env.keepWorkspace) await place.dispose();
  }
  const model = env.model.describe();
  const seconds = (clock.now() - started) / 1000;
  // Model errors arrive scrubbed; the outcome (printed, and written to report.json) is scrubbed once more of the
  // known secrets as a whole, like the trajectory beside it (URLs the reviewer quotes are its words, kept).
  const scrubber = new SecretScrubber(env.secrets ?? [], { redactUrls: false });
  outcome = scrubber.scrubJson(outcome);
  const reportFile: ReportFile = {
    version: REPORT_FILE_VERSION,
    ...outcome,
    mode: request.mode,
    model: { provider: model.provider, name: model.name },
    commit: place.commit,
    usage: usageRecord(tally.usage),
    steps: tally.steps,
    seconds,
    swe_review: VERSION,
  };
  const result: ReviewResult = {
    outcome,
    ...(agentError ? { agentError: scrubber.scrubJson(agentError) } : {}),
    mode: request.mode,
    commit: place.commit,
    usage: tally.usage,
    steps: tally.steps,
    seconds,
    reportPath: join(env.outDir, "report.json"),
    trajectoryPath,
    reportFile,
  };
  writeJsonAtomic(result.reportPath, reportFile);
  return result;
}

function maxStepsOf(budget: BudgetInput): number {
  return budget.maxSteps ?? DEFAULT_MAX_STEPS;
}

/** A trajectory for a review decided without a model: the header and, later, the result. */
function writePrecheckTrajectory(
  sink: TrajectorySink,
  model: Model,
  meta: Record<string, unknown>,
  clock: Clock,
): void {
  sink.write(
    trajectoryHeader({
      createdAt: new Date(clock.now()),
      role: "reviewer",
      model: model.describe(),
      tools: [],
      budget: {},
      meta: { ...meta, precheck: true },
    }),
  );
}

function withoutSetup<T extends { setup?: unknown }>(env: T): Omit<T, "setup"> {
  const { setup: _setup, ...rest } = env;
  return rest;
}
