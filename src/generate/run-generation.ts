import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BudgetInput } from "../agent/budget.js";
import type { ContextGuard } from "../agent/context-guard.js";
import { runRole } from "../agent/role.js";
import type { StepProgress } from "../agent/run-agent.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { type Clock, systemClock } from "../common/clock.js";
import { type Logger, silentLogger } from "../common/logger.js";
import { SecretScrubber } from "../common/secrets.js";
import { type Model, type Usage, ZERO_USAGE } from "../model/types.js";
import type { AgentStatus } from "../traj/schema.js";
import { UsageTally } from "../traj/usage-tally.js";
import { TrajectoryWriter } from "../traj/writer.js";
import { git } from "../workspace/git.js";
import type { RepoCache } from "../workspace/repo-cache.js";
import type { RepoSource } from "../workspace/repo-source.js";
import { throwIfLost } from "../workspace/sandbox/lost.js";
import { type OpenSandbox, type OpenSandboxOptions, openSandbox } from "../workspace/sandbox/open.js";
import { deliverablePath } from "../workspace/sandbox/sandbox.js";
import { Workspace } from "../workspace/workspace.js";
import { extractCandidateDiff } from "./candidate-diff.js";
import { renderCommandTemplate } from "./external-command.js";
import { generatorRole } from "./generator-role.js";
import { generationInstruction, type IssueFacts, revisionInstruction } from "./instruction.js";
import { readPrContent } from "./pr-content.js";

export type Generator =
  | {
      kind: "agent";
      model: Model;
      budget: BudgetInput;
      contextGuard?: () => ContextGuard | undefined;
      securityRisk?: boolean;
      softTimeoutMs?: number;
    }
  | {
      kind: "command";
      template: string;
      model?: string;
      timeoutMs: number;
      /** External agents call APIs: network only when the user allows it. */
      network: boolean;
      /** Environment passed into the sandbox (e.g. the external agent's API key), by the user's choice. */
      env: Record<string, string>;
    };

export interface GenerationRequest {
  source: RepoSource;
  base: string;
  issue: Omit<IssueFacts, "baseCommit">;
  /** A revision: the reviewer's feedback on the previous patch. */
  revision?: { feedback: string; previousPatch: string; fromPrevious: boolean };
}

export interface GenerationEnvironment {
  cache: RepoCache;
  workspaceRoot: string;
  sandbox: OpenSandboxOptions;
  outDir: string;
  keepWorkspace?: boolean;
  secrets?: string[];
  config?: unknown;
  logger?: Logger;
  clock?: Clock;
  signal?: AbortSignal;
  onStep?: (progress: StepProgress) => void;
}

export interface GenerationResult {
  patch: string;
  prTitle: string;
  prBody: string;
  prSource: "file" | "missing";
  skippedBinary: string[];
  status: AgentStatus | "command_succeeded" | "command_failed" | "command_timeout";
  /** Why the agent stopped with `model_error` (an unreachable server is worth retrying; a refusal is not). */
  error?: { code: string; message: string };
  usage: Usage;
  steps: number;
  seconds: number;
  commit: string;
  patchPath: string;
}

type GeneratorOutcome = Pick<GenerationResult, "status" | "error" | "usage" | "steps">;

const PR_CONTENT_FILE = "pr_content.json";

/** One generation (or revision): workspace, the generator in its sandbox, the resulting diff and PR content. */
export async function runGeneration(
  request: GenerationRequest,
  generator: Generator,
  env: GenerationEnvironment,
): Promise<GenerationResult> {
  const clock = env.clock ?? systemClock;
  const logger = env.logger ?? silentLogger;
  const started = clock.now();
  mkdirSync(env.outDir, { recursive: true });
  const workspace = await Workspace.create({
    source: request.source,
    base: request.base,
    cache: env.cache,
    root: env.workspaceRoot,
    logger,
    reviewData: {
      instanceId: request.issue.instanceId ?? "generation",
      repo: request.issue.repo ?? "local/repository",
      problemStatement: request.issue.problemStatement,
      patch: request.revision?.previousPatch ?? "",
    },
  });
  try {
    if (request.revision?.fromPrevious && request.revision.previousPatch.trim()) {
      await git(["apply", "--whitespace=nowarn", "-"], {
        cwd: workspace.testbed,
        input: request.revision.previousPatch,
      }).catch((error: unknown) =>
        logger.warn({ err: error }, "the previous patch does not apply; revising from the base"),
      );
    }
    const sandbox = await openSandbox(workspace, {
      ...env.sandbox,
      logger,
      ...(generator.kind === "command" ? { network: generator.network, env: generator.env } : {}),
    });
    let outcome: GeneratorOutcome;
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
        : generationInstruction({ ...request.issue, baseCommit: workspace.commit }, paths);
      outcome =
        generator.kind === "agent"
          ? await runAgentGenerator(generator, workspace, sandbox, task, env, clock, logger)
          : await runCommandGenerator(generator, sandbox, task, env);
      throwIfLost(sandbox.lost());
    } finally {
      await sandbox.close();
    }
    // Read only now that the sandbox is closed: nothing the agent started can change them any more.
    const diff = await extractCandidateDiff(workspace);
    const prFile = workspace.deliverable(PR_CONTENT_FILE);
    if (prFile.kind === "refused") {
      logger.warn(
        { file: `/${PR_CONTENT_FILE}`, reason: prFile.reason },
        "PR content file not read; the PR is N/A",
      );
    }
    const pr = readPrContent(prFile.kind === "file" ? prFile.text : undefined);
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
      commit: workspace.commit,
      patchPath,
    };
    const { patch: _patch, ...record } = result;
    writeJsonAtomic(join(env.outDir, "result.json"), {
      ...record,
      kind: request.revision ? "revision" : "generation",
    });
    return result;
  } finally {
    if (!env.keepWorkspace) await workspace.dispose();
  }
}

async function runAgentGenerator(
  generator: Extract<Generator, { kind: "agent" }>,
  workspace: Workspace,
  sandbox: OpenSandbox,
  task: string,
  env: GenerationEnvironment,
  clock: Clock,
  logger: Logger,
): Promise<GeneratorOutcome> {
  const path = join(env.outDir, "trajectory.jsonl");
  rmSync(path, { force: true });
  const writer = new TrajectoryWriter(path, { secrets: env.secrets ?? [] });
  const tally = new UsageTally(writer);
  try {
    const guard = generator.contextGuard?.();
    const { run } = await runRole(
      generatorRole,
      {
        workspace,
        sandbox,
        task,
        ...(generator.securityRisk === undefined ? {} : { securityRisk: generator.securityRisk }),
        ...(generator.softTimeoutMs === undefined ? {} : { softTimeoutMs: generator.softTimeoutMs }),
      },
      {
        model: generator.model,
        budget: generator.budget,
        trajectory: tally,
        clock,
        logger,
        ...(guard ? { contextGuard: guard } : {}),
        ...(env.config === undefined ? {} : { config: env.config }),
        ...(env.signal ? { signal: env.signal } : {}),
        ...(env.onStep ? { onStep: env.onStep } : {}),
      },
    );
    return {
      status: run.status,
      usage: tally.usage,
      steps: tally.steps,
      ...(run.error ? { error: { code: run.error.code, message: run.error.message } } : {}),
    };
  } finally {
    writer.close();
  }
}

async function runCommandGenerator(
  generator: Extract<Generator, { kind: "command" }>,
  sandbox: OpenSandbox,
  task: string,
  env: GenerationEnvironment,
): Promise<GeneratorOutcome> {
  const instructionFile = `${sandbox.paths.tmp.replace(/\/$/, "")}/swe-review-instruction.md`;
  await sandbox.files.write(instructionFile, task);
  const command = renderCommandTemplate(generator.template, {
    instructionFile,
    workdir: sandbox.paths.testbed,
    ...(generator.model ? { model: generator.model } : {}),
  });
  const result = await sandbox.shell.run(`cd ${sandbox.paths.testbed} && ${command}`, generator.timeoutMs);
  const scrub = new SecretScrubber([...(env.secrets ?? []), ...Object.values(generator.env)]);
  writeFileSync(
    join(env.outDir, "generator.log"),
    scrub.scrub(
      `$ ${generator.template}\n${result.output}\n[exit ${result.exitCode}${result.timedOut ? ", timed out" : ""}]\n`,
    ),
  );
  const status = result.timedOut
    ? "command_timeout"
    : result.exitCode === 0
      ? "command_succeeded"
      : "command_failed";
  return { status, usage: ZERO_USAGE, steps: 0 };
}
