import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BudgetInput } from "../agent/budget.js";
import type { ContextGuard } from "../agent/context-guard.js";
import type { StepProgress } from "../agent/run-agent.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { type Clock, systemClock } from "../common/clock.js";
import { SweReviewError } from "../common/errors.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { SecretScrubber } from "../common/secrets.js";
import type { Model, Usage } from "../model/types.js";
import { openAgentPlace } from "../agent-place/agent-place.js";
import type { WorkspaceSetupSettings } from "../agent-place/agent-setup.js";
import type { AgentStatus } from "../trajectory/schema.js";
import type { AgentFile } from "../workspace/agent-file.js";
import type { RepoCache } from "../workspace/repo-cache.js";
import type { RepoSource } from "../workspace/repo-source.js";
import type { ReadOnlyMount } from "../workspace/sandbox/bwrap-mounts.js";
import { throwIfLost } from "../workspace/sandbox/lost.js";
import { type OpenSandboxOptions, openSandbox } from "../workspace/sandbox/open.js";
import { deliverablePath } from "../workspace/sandbox/sandbox.js";
import type { Workspace } from "../workspace/workspace.js";
import type { UsageReport } from "./agent-clis/agent-cli.js";
import { runAgentGenerator } from "./agent-generator.js";
import { externalAgentSandbox, mergeAgentSandbox, refuseAgentSandboxKind } from "./agent-sandbox.js";
import { applyPreviousInSandbox, applyPreviousOnHost } from "./apply-previous.js";
import { type ExtractedDiff, extractCandidateDiff } from "./candidate-diff.js";
import { runCommandGenerator } from "./command-generator.js";
import { containerCandidateDiff } from "./container-candidate-diff.js";
import { generationInstruction, type IssueFacts, revisionInstruction } from "./instruction.js";
import { readPrContent } from "./pr-content.js";

/**
 * Who writes the patch. `agent`: our agent with the OpenHands toolset, driven by `model`. `command`: an external
 * coding agent (claude, codex, opencode, …) run in the sandbox by a shell command template.
 */
export type Generator =
  | {
      kind: "agent";
      model: Model;
      /** Steps, tokens, wall time and cost the agent may spend. */
      budget: BudgetInput;
      /** A fresh context guard per agent run (it learns from one conversation). */
      contextGuard?: () => ContextGuard | undefined;
      /** Advertise the tools' `security_risk` parameter; default false. */
      securityRisk?: boolean;
      /** How long a terminal command without its own timeout runs before the agent sees its output so far. */
      softTimeoutMs?: number;
    }
  | {
      kind: "command";
      /**
       * The shell command, run in the checkout (`/testbed`). Placeholders: `{instruction_file}` (the task, as a
       * Markdown file), `{workdir}`, `{model}`; an unknown placeholder is an `InputError`.
       */
      template: string;
      /** What `{model}` becomes. */
      model?: string;
      /** The command is killed after this long (status `command_timeout`); what it changed so far is the patch. */
      timeoutMs: number;
      /** External agents call APIs: network only when the user allows it. */
      network: boolean;
      /** Environment passed into the sandbox (e.g. the external agent's API key), by the user's choice. */
      env: Record<string, string>;
      /** A ready-made agent CLI (`AGENT_CLIS`): how its usage is read. */
      agent?: string;
      /** Settings the agent runs with (not secrets: they are not redacted from its log). */
      settings?: Record<string, string>;
      /** Host folders the agent needs, read-only in the sandbox (its install folder). */
      readOnly?: readonly string[];
      /** Host files shown read-only at another place: the CLI's login, in its private home (`--generator-login`). */
      readOnlyAt?: readonly ReadOnlyMount[];
      /** Values never written to its log (the tokens in its login files). */
      secrets?: readonly string[];
    };

/** What to resolve: an issue in a repository at a base revision; or, with `revision`, what to change in a patch. */
export interface GenerationRequest {
  /** Where the repository comes from: `resolveRepoSource("owner/name")`, a URL, or a local clone's path. */
  source: RepoSource;
  /** Commit, branch or tag to start from. */
  base: string;
  /** With the `docker` sandbox: the image whose `/testbed` holds the repository (a dataset instance's). */
  image?: string;
  /** The issue's text (`problemStatement`) and, for the instruction and the test spec, `repo`, `version`, `instanceId`. */
  issue: Omit<IssueFacts, "baseCommit">;
  /**
   * A revision: the reviewer's feedback on the previous patch (`renderFeedback(report)`). With `fromPrevious` the
   * previous patch is applied first and the generator changes it (revising from the base when it does not apply);
   * without, it starts again from the base with the feedback in its instruction.
   */
  revision?: { feedback: string; previousPatch: string; fromPrevious: boolean };
}

/** What a generation runs with; as `ReviewEnvironment`, without the model (the `Generator` has it). */
export interface GenerationEnvironment {
  /** Bare mirrors of the repositories, reused across runs: `new RepoCache(dir)` or `repoCacheFrom(config)`. */
  cache: RepoCache;
  /** Where the throwaway checkout is made (`workspaceRootFrom(config)`). */
  workspaceRoot: string;
  /** How the generator's commands run (`sandboxOptionsFrom(config)`); ready-made agent CLIs need `bwrap`. */
  sandbox: OpenSandboxOptions;
  /** How the workspace is prepared before the generator starts (its dependencies); absent: not at all. */
  setup?: WorkspaceSetupSettings;
  /** Where `candidate.patch`, `pr.json`, and the agent's `trajectory.jsonl` or the command's `generator.log` go. */
  outDir: string;
  /** Keep the checkout afterwards; default false. */
  keepWorkspace?: boolean;
  /** Values never written to the trajectory, the log or the PR text (API keys, URL credentials). */
  secrets?: string[];
  /** Recorded in the trajectory header (secrets redacted). */
  config?: unknown;
  logger?: Logger;
  clock?: Clock;
  /** Aborting ends the generation early (status `aborted`). */
  signal?: AbortSignal;
  /** Called after every agent step (our agent only). */
  onStep?: (progress: StepProgress) => void;
}

/**
 * What the generator left: the diff of the checkout against the base, and the PR text it wrote. `runGeneration`
 * resolves whenever the generator ran, even if it failed or changed nothing (`status` says how it ended; `patch`
 * may be empty); it rejects only when it could not run: the repository could not be fetched, the sandbox could
 * not start or was lost, or the options are wrong (`SweReviewError` / `InputError` with a `code`).
 */
export interface GenerationResult {
  /** The candidate: `git diff` of the checkout against `commit`, text files only. */
  patch: string;
  /** From the `/pr_content.json` the generator was asked to write; "N/A" when it did not (`prSource: "missing"`). */
  prTitle: string;
  prBody: string;
  prSource: "file" | "missing";
  /** Binary files the generator changed, left out of `patch`. */
  skippedBinary: string[];
  /** Our agent's end status, or how the command ended. */
  status: AgentStatus | "command_succeeded" | "command_failed" | "command_timeout";
  /** Why the agent stopped with `model_error` (an unreachable server is worth retrying; a refusal is not). */
  error?: { code: string; message: string };
  /** Totals for sums (0 where the generator reported nothing: `usageReport` says which). */
  usage: Usage;
  usageReport: UsageReport;
  /** Model calls our agent made (0 for a command). */
  steps: number;
  seconds: number;
  /** The commit `base` resolved to. */
  commit: string;
  /** `outDir/candidate.patch`. */
  patchPath: string;
}

export type GeneratorOutcome = Pick<GenerationResult, "status" | "error" | "usage" | "usageReport" | "steps">;

const PR_CONTENT_FILE = "pr_content.json";

/**
 * One generation (or revision): a checkout of `request.source` at `request.base` (never the user's own working
 * tree), the generator in its sandbox, the resulting diff and PR content, written to `env.outDir`.
 */
export async function runGeneration(
  request: GenerationRequest,
  generator: Generator,
  env: GenerationEnvironment,
): Promise<GenerationResult> {
  const clock = env.clock ?? systemClock;
  const logger = env.logger ?? silentLogger;
  const started = clock.now();
  if (generator.kind === "command" && generator.agent)
    refuseAgentSandboxKind(generator.agent, env.sandbox.kind);
  mkdirSync(env.outDir, { recursive: true });
  // External agents get the network, their environment, their install and login only when the user gives them; and
  // only in their own sandbox: the workspace's setup runs the repository's commands with the network on, and must
  // see none of it (a login token, a key).
  const agentOnly = generator.kind === "command" ? externalAgentSandbox(generator) : undefined;
  const container = env.sandbox.kind === "docker";
  const placeSandbox = {
    ...env.sandbox,
    logger,
    ...(container ? mergeAgentSandbox(env.sandbox, agentOnly) : {}),
  };
  const place = await openAgentPlace(
    {
      source: request.source,
      base: request.base,
      ...(request.image ? { image: request.image } : {}),
      reviewData: {
        instanceId: request.issue.instanceId ?? "generation",
        repo: request.issue.repo ?? "local/repository",
        problemStatement: request.issue.problemStatement,
        patch: request.revision?.previousPatch ?? "",
      },
      run: `${request.revision ? "revise" : "generate"} ${request.issue.instanceId ?? "generation"}`,
      container,
      subject: {
        ...(request.issue.repo ? { repo: request.issue.repo } : {}),
        ...(request.issue.version ? { version: request.issue.version } : {}),
      },
    },
    { ...env, sandbox: placeSandbox },
    logger,
  );
  try {
    const previous =
      request.revision?.fromPrevious && request.revision.previousPatch.trim()
        ? request.revision.previousPatch
        : undefined;
    const notApplied = (error: unknown) =>
      logger.warn({ err: error }, "the previous patch does not apply; revising from the base");
    // On a host checkout, before its sandbox starts: starting hands the checkout to the sandbox's user (when we
    // run as root), and what git wrote after that would stay root's, which the agent could not change.
    if (previous && place.workspace && !place.box)
      await applyPreviousOnHost(place.workspace, previous).catch(notApplied);
    const sandbox =
      place.box ??
      (await openSandbox(place.workspace as Workspace, {
        ...place.sandbox,
        ...mergeAgentSandbox(place.sandbox, agentOnly, place.setup.sandbox.env),
      }));
    if (previous && place.box) await applyPreviousInSandbox(sandbox, previous).catch(notApplied);
    let outcome: GeneratorOutcome;
    let diff: ExtractedDiff | undefined;
    let prFile: AgentFile = { kind: "missing" };
    try {
      const paths = {
        testbed: sandbox.paths.testbed,
        reviewData: sandbox.paths.reviewData,
        prContent: deliverablePath(sandbox.paths, PR_CONTENT_FILE),
      };
      const task = request.revision
        ? revisionInstruction(request.revision.feedback, paths, {
            fromPrevious: request.revision.fromPrevious,
          })
        : generationInstruction({ ...request.issue, baseCommit: place.commit }, paths);
      outcome =
        generator.kind === "agent"
          ? await runAgentGenerator(generator, place, sandbox, task, env, clock, logger)
          : await runCommandGenerator(generator, sandbox, task, env);
      throwIfLost(sandbox.lost());
      // Read only once nothing the agent started runs any more: nothing can change them then.
      const files = await sandbox.collect([PR_CONTENT_FILE], {
        whileStopped: async () => {
          diff = place.workspace
            ? await extractCandidateDiff(place.workspace, place.setup)
            : await containerCandidateDiff(sandbox, place.commit);
        },
      });
      prFile = files[PR_CONTENT_FILE] ?? { kind: "missing" };
    } finally {
      await sandbox.close();
    }
    throwIfLost(sandbox.lost());
    if (!diff) throw new SweReviewError("sandbox_lost", "The sandbox stopped before the candidate was read.");
    if (prFile.kind === "refused") {
      logger.warn(
        { file: `/${PR_CONTENT_FILE}`, reason: prFile.reason },
        "PR content file not read; the PR is N/A",
      );
    }
    // The PR text is the agent's: no secret it saw (a key, a login token) is written or printed from it.
    const scrub = new SecretScrubber([
      ...(env.secrets ?? []),
      ...(generator.kind === "command" ? (generator.secrets ?? []) : []),
    ]);
    const read = readPrContent(prFile.kind === "file" ? prFile.text : undefined);
    const pr = { ...read, prTitle: scrub.scrub(read.prTitle), prBody: scrub.scrub(read.prBody) };
    const patchPath = join(env.outDir, "candidate.patch");
    writeFileSync(patchPath, diff.patch);
    writeJsonAtomic(join(env.outDir, "pr.json"), {
      pr_title: pr.prTitle,
      pr_body: pr.prBody,
      source: pr.source,
    });
    const result: GenerationResult = {
      patch: diff.patch,
      prTitle: pr.prTitle,
      prBody: pr.prBody,
      prSource: pr.source,
      skippedBinary: diff.skippedBinary,
      ...outcome,
      seconds: (clock.now() - started) / 1000,
      commit: place.commit,
      patchPath,
    };
    const { patch: _patch, ...record } = result;
    writeJsonAtomic(join(env.outDir, "result.json"), {
      ...record,
      kind: request.revision ? "revision" : "generation",
    });
    return result;
  } finally {
    if (!env.keepWorkspace) await place.dispose();
  }
}
