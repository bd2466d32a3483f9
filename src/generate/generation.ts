import type { BudgetInput } from "../agent/budget.js";
import type { ContextGuard } from "../agent/context-guard.js";
import type { StepProgress } from "../agent/run-agent.js";
import type { AgentPlaceEnvironment } from "../agent-place/agent-place.js";
import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/logger.js";
import type { Model, Usage } from "../model/types.js";
import type { AgentStatus } from "../trajectory/schema.js";
import type { RepoSource } from "../workspace/repo-source.js";
import type { ReadOnlyMount } from "../workspace/sandbox/bwrap-mounts.js";
import type { UsageReport } from "./agent-clis/agent-cli.js";
import type { IssueFacts } from "./instruction.js";

/**
 * The types of one generation, apart from `runGeneration` so that the generators it runs (`agent-generator.ts`,
 * `command-generator.ts`, `agent-sandbox.ts`) can name them without importing it back.
 */

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

/**
 * What a generation runs with; as `ReviewEnvironment`, without the model (the `Generator` has it). Its place
 * (`AgentPlaceEnvironment`: cache, workspace root, sandbox, setup) is shared with the reviewer's; ready-made agent
 * CLIs need the `bwrap` sandbox.
 */
export interface GenerationEnvironment extends AgentPlaceEnvironment {
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

/**
 * What a generator returns once it has run: its end status, error, usage and steps (the patch is read from the
 * workspace).
 */
export type GeneratorOutcome = Pick<GenerationResult, "status" | "error" | "usage" | "usageReport" | "steps">;
