import type { StepProgress } from "../agent/run-agent.js";
import type { WorkspaceSetupSettings } from "../agent-place/agent-setup.js";
import { anySignal } from "../common/abort.js";
import { newRunFolder } from "../common/run-folder.js";
import { renderMarkdown, reportFacts } from "../review/render.js";
import { leftOutWarning } from "../review/review-target.js";
import { type ReviewResult, runReview } from "../review/run-review.js";
import { resolveRepoSource } from "../workspace/repo-source.js";
import { type ReviewPatchInput, repositoryPath, reviewTarget } from "./review-patch-input.js";
import type { McpServices } from "./services.js";

/** One tool call's link to its client: the call's cancellation, and where progress goes. */
export interface ToolCall {
  signal: AbortSignal;
  onStep?: ((progress: StepProgress, maxSteps: number) => void) | undefined;
}

export interface ToolReview {
  result: ReviewResult;
  markdown: string;
  /** True when the client cancelled the call (or the server shut down) before the review finished. */
  cancelled: boolean;
}

/**
 * Runs the review a tool call asks for, in its own folder under the runs folder. Cancelling the call (or shutting
 * the server down) aborts the agent; `runReview` then closes the sandbox and removes the workspace as it always
 * does on the way out.
 */
export async function runToolReview(
  input: ReviewPatchInput,
  services: McpServices,
  call: ToolCall,
): Promise<ToolReview> {
  const repository = repositoryPath(input, services.cwd);
  const target = await reviewTarget(input, repository);
  for (const folder of target.leftOut ?? []) {
    services.logger.warn(
      { repository, folder: folder.path, files: folder.files.length, kept: folder.kept.length },
      leftOutWarning(folder),
    );
  }
  const { environment, maxSteps } = services.environment({
    ...(input.model ? { model: input.model } : {}),
    ...(input.max_steps ? { maxSteps: input.max_steps } : {}),
  });
  const outDir = newRunFolder(services.runsDir, "review");
  // The call's cancellation or the server's shutdown, whichever comes first.
  const signal = anySignal([call.signal, services.shutdown]);
  services.logger.info({ repository, outDir }, "review started");
  try {
    const result = await services.inFlight.track(
      runReview(
        {
          source: resolveRepoSource(repository),
          base: target.base,
          issue: input.issue,
          patch: target.patch,
          mode: input.mode ?? "agentic",
          ...(input.pr_title === undefined ? {} : { prTitle: input.pr_title }),
          ...(input.pr_body === undefined ? {} : { prBody: input.pr_body }),
        },
        {
          ...environment,
          ...dependenciesFor(input, environment.setup, repository),
          outDir,
          signal: signal.signal,
          ...(call.onStep ? { onStep: (progress) => call.onStep?.(progress, maxSteps) } : {}),
        },
      ),
    );
    const cancelled = signal.signal.aborted;
    services.logger.info(
      { outDir, decision: result.outcome.decision, status: result.outcome.status },
      cancelled ? "review cancelled; sandbox closed and workspace removed" : "review finished",
    );
    return { result, markdown: renderMarkdown(result.outcome, reportFacts(result.reportFile)), cancelled };
  } finally {
    signal.dispose();
  }
}

/** The workspace setup a call asks for (`dependencies`), over the configured one. */
function dependenciesFor(
  input: ReviewPatchInput,
  setup: WorkspaceSetupSettings | undefined,
  repository: string,
): { setup?: WorkspaceSetupSettings } {
  if (!setup || input.dependencies === undefined || input.dependencies === "setup") return {};
  return input.dependencies === "none"
    ? { setup: { ...setup, enabled: false } }
    : { setup: { ...setup, depsFrom: repository } };
}
