import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../common/errors.js";
import { LARGE_PATCH_BYTES, readPatchText } from "../../review/patch-check.js";
import { renderMarkdown, reportFacts } from "../../review/render.js";
import { workingTreeTarget } from "../../review/review-target.js";
import { runReview } from "../../review/run-review.js";
import { reviewEnvironmentFrom } from "../../runtime/agent-environment.js";
import { roleModel } from "../../runtime/role-model.js";
import { resolveRepoSource } from "../../workspace/repo-source.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { readIssueInput, timestamp } from "../issue-input.js";
import { FILE_OR_STDIN, pathOption, REPOSITORY } from "../path-options.js";
import { progressLine } from "../progress.js";
import { addReviewRunOptions, type ReviewRunFlags, reviewRunLayer } from "../review-options.js";

interface ReviewOptions extends ReviewRunFlags {
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
    .addOption(
      pathOption(
        "--repo <repo>",
        "the repository: a local clone, a git URL, owner/name, or owner/name=/path/to/clone",
        REPOSITORY,
      ).default("."),
    )
    .option("--base <rev>", "the commit the patch is against (default: the --diff-from revision)")
    .addOption(
      pathOption(
        "--issue <file>",
        "the issue text: a file, or - for standard input",
        FILE_OR_STDIN,
      ).makeOptionMandatory(),
    )
    .addOption(pathOption("--patch <file>", "the patch to review (a unified diff)", "file"))
    .option(
      "--diff-from <rev>",
      "review the working tree's changes against this revision (the tree is not modified)",
    )
    .option("--pr-title <title>", "the pull request's title")
    .option("--pr-body <body>", "the pull request's description")
    .addOption(
      pathOption(
        "--out <dir>",
        "where report.json and trajectory.jsonl go (default: ./swe-review-runs/review-<time>)",
        "output-folder",
      ),
    )
    .addOption(
      new Option("--format <format>", "what to print").choices(["markdown", "json"]).default("markdown"),
    )
    .option("--keep", "keep the workspace afterwards")
    .option("--instance-id <id>", "a name for this review in its files");
  addReviewRunOptions(command).action(async (options: ReviewOptions, cmd: Command) => {
    const { config, logger } = commandContext(cmd.optsWithGlobals<GlobalOptions>(), {
      ...reviewRunLayer(options),
      ...(options.keep ? { workspace: { keep: true } } : {}),
    });
    const issue = readIssueInput(options.issue);
    const source = resolveRepoSource(options.repo);
    const { patch, base } = await patchAndBase(options, source);
    const bytes = Buffer.byteLength(patch);
    // One plain line, and no log line besides: the two said the same thing twice.
    if (bytes > LARGE_PATCH_BYTES) {
      process.stderr.write(
        `warning: the patch is ${Math.round(bytes / 1024)} KB (over ${LARGE_PATCH_BYTES / 1024} KB); reviewing it anyway\n`,
      );
    }
    const reviewer = roleModel(config, {}, logger);
    const outDir = resolve(options.out ?? join("swe-review-runs", `review-${timestamp()}`));
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
      { ...reviewEnvironmentFrom(config, logger, reviewer), outDir, onStep: progress.update },
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
): Promise<{ patch: string; base: string }> {
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
