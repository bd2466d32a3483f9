import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { reviewEnvironmentFrom } from "../../assembly/agent-environment.js";
import { roleModel } from "../../assembly/role-model.js";
import { InputError } from "../../common/errors.js";
import { LARGE_PATCH_BYTES, readPatchText } from "../../review/patch-check.js";
import { renderMarkdown, reportFacts } from "../../review/render.js";
import { leftOutWarning, type ReviewTarget, workingTreeTarget } from "../../review/review-target.js";
import { runReview } from "../../review/run-review.js";
import { resolveRepoSource } from "../../workspace/repo-source.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { readIssueInput } from "../issue-input.js";
import { commandOutDir } from "../out-dir.js";
import { issueOption, pathOption, repoOption } from "../path-options.js";
import { progressLine } from "../progress.js";
import {
  addReviewRunOptions,
  type ReviewRunFlags,
  reviewFormatOption,
  reviewOutOption,
  reviewRunLayer,
} from "../review-options.js";
import { addSetupOptions, type SetupFlags, setupLayer, withWorktreeDeps } from "../setup-options.js";

interface ReviewOptions extends ReviewRunFlags, SetupFlags {
  repo: string;
  base?: string;
  issue: string;
  patch?: string;
  diffFrom?: string;
  prTitle?: string;
  prBody?: string;
  out?: string;
  format: "markdown" | "json";
  keep?: boolean;
  instanceId?: string;
}

/** Exit codes: 0 approve, 1 request changes, 2 no verdict, 3 bad input. */
export const REVIEW_EXIT = { approve: 0, request_changes: 1, none: 2 } as const;

export function registerReviewCommand(program: Command): void {
  const command = program
    .command("review")
    .description(
      "review a patch against an issue: an agent traces the root cause, applies and tests the patch, and returns a verdict (exit 0 approve, 1 request changes, 2 no verdict, 3 bad input)",
    )
    .addOption(repoOption().default("."))
    .option("--base <rev>", "the commit the patch is against (default: the --diff-from revision)")
    .addOption(issueOption().makeOptionMandatory())
    .addOption(pathOption("--patch <file>", "the patch to review (a unified diff)", "file"))
    .option(
      "--diff-from <rev>",
      "review the working tree's changes against this revision (the tree is not modified)",
    )
    .option("--pr-title <title>", "the pull request's title")
    .option("--pr-body <body>", "the pull request's description")
    .addOption(reviewOutOption("review"))
    .addOption(reviewFormatOption())
    .option("--keep", "keep the workspace afterwards")
    .option("--instance-id <id>", "a name for this review in its files");
  addSetupOptions(addReviewRunOptions(command)).action(async (options: ReviewOptions, cmd: Command) => {
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>(), {
      ...reviewRunLayer(options),
      ...setupLayer(options),
      ...(options.keep ? { workspace: { keep: true } } : {}),
    });
    const issue = readIssueInput(options.issue);
    const source = resolveRepoSource(options.repo);
    const { patch, base, leftOut = [] } = await patchAndBase(options, source);
    // One plain line each, and no log line besides: the two would say the same thing twice.
    for (const folder of leftOut) process.stderr.write(`warning: ${leftOutWarning(folder)}\n`);
    const bytes = Buffer.byteLength(patch);
    if (bytes > LARGE_PATCH_BYTES) {
      process.stderr.write(
        `warning: the patch is ${Math.round(bytes / 1024)} KB (over ${LARGE_PATCH_BYTES / 1024} KB); reviewing it anyway\n`,
      );
    }
    const reviewer = roleModel(config, {}, logger);
    const environment = reviewEnvironmentFrom(config, logger, reviewer);
    const setup = withWorktreeDeps(environment.setup, options, source);
    if (setup) environment.setup = setup;
    const outDir = commandOutDir("review", options.out);
    const progress = progressLine("review", config.agent.maxSteps);
    const result = await runReview(
      {
        source,
        base,
        issue,
        patch,
        mode: options.mode,
        ...(options.prTitle === undefined ? {} : { prTitle: options.prTitle }),
        ...(options.prBody === undefined ? {} : { prBody: options.prBody }),
        ...(options.instanceId === undefined ? {} : { instanceId: options.instanceId }),
      },
      { ...environment, outDir, onStep: progress.update },
    );
    progress.done();
    if (options.format === "json") {
      process.stdout.write(readFileSync(result.reportPath, "utf8"));
    } else {
      process.stdout.write(renderMarkdown(result.outcome, reportFacts(result.reportFile)));
    }
    process.stderr.write(`[report: ${result.reportPath}; trajectory: ${result.trajectoryPath}]\n`);
    process.exitCode = REVIEW_EXIT[result.outcome.decision ?? "none"];
  });
}

async function patchAndBase(
  options: ReviewOptions,
  source: ReturnType<typeof resolveRepoSource>,
): Promise<ReviewTarget> {
  if (options.patch !== undefined && options.diffFrom !== undefined) {
    throw new InputError("bad_option", "Give either --patch <file> or --diff-from <rev>, not both.");
  }
  if (options.diffFrom !== undefined) {
    if (source.kind !== "path") {
      throw new InputError(
        "bad_option",
        "--diff-from reviews a local working tree: --repo must be a folder.",
      );
    }
    return workingTreeTarget(source.path, options.diffFrom, {
      given: "--diff-from",
      ...(options.base ? { base: options.base } : {}),
    });
  }
  if (options.patch === undefined)
    throw new InputError("bad_option", "Give the patch to review: --patch <file> or --diff-from <rev>.");
  if (!options.base)
    throw new InputError(
      "bad_option",
      "--base <rev> is required with --patch: the commit the patch applies to.",
    );
  if (!existsSync(options.patch))
    throw new InputError("patch_missing", `--patch ${options.patch}: no such file.`);
  return { patch: readPatchText(readFileSync(options.patch), options.patch), base: options.base };
}
