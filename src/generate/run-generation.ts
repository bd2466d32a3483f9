import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openAgentPlace } from "../agent-place/agent-place.js";
import { writeJsonAtomic } from "../common/atomic-write.js";
import { systemClock } from "../common/clock.js";
import { SweReviewError } from "../common/errors.js";
import { silentLogger } from "../common/logger.js";
import { SecretScrubber } from "../common/secrets.js";
import { usageRecord } from "../model/usage-record.js";
import type { AgentFile } from "../workspace/agent-file.js";
import { throwIfLost } from "../workspace/sandbox/lost.js";
import { openSandbox } from "../workspace/sandbox/open.js";
import { deliverablePath } from "../workspace/sandbox/sandbox.js";
import type { Workspace } from "../workspace/workspace.js";
import { runAgentGenerator } from "./agent-generator.js";
import { externalAgentSandbox, mergeAgentSandbox, refuseAgentSandboxKind } from "./agent-sandbox.js";
import { applyPreviousInSandbox, applyPreviousOnHost } from "./apply-previous.js";
import { type ExtractedDiff, extractCandidateDiff } from "./candidate-diff.js";
import { runCommandGenerator } from "./command-generator.js";
import { containerCandidateDiff } from "./container-candidate-diff.js";
import type {
  GenerationEnvironment,
  GenerationRequest,
  GenerationResult,
  Generator,
  GeneratorOutcome,
} from "./generation.js";
import { generationInstruction, revisionInstruction } from "./instruction.js";
import { readPrContent } from "./pr-content.js";
import { GENERATION_FILE_VERSION, type GenerationFile } from "./result-file.js";
import { usageReportRecord } from "./usage-report-record.js";

const PR_CONTENT_FILE = "pr_content.json";

/** The generation's `result.json` (`GenerationFileSchema`): the result without the patch, in the records' casing. */
function generationFile(result: GenerationResult, kind: GenerationFile["kind"]): GenerationFile {
  return {
    version: GENERATION_FILE_VERSION,
    kind,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
    pr_title: result.prTitle,
    pr_body: result.prBody,
    pr_source: result.prSource,
    skipped_binary: result.skippedBinary,
    usage: usageRecord(result.usage),
    usage_report: usageReportRecord(result.usageReport),
    steps: result.steps,
    seconds: result.seconds,
    commit: result.commit,
    patch_path: result.patchPath,
  };
}

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
    writeJsonAtomic(
      join(env.outDir, "result.json"),
      generationFile(result, request.revision ? "revision" : "generation"),
    );
    return result;
  } finally {
    if (!env.keepWorkspace) await place.dispose();
  }
}
