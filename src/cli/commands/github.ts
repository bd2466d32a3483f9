import { type Command, Option } from "commander";
import { reviewEnvironmentFrom } from "../../assembly/agent-environment.js";
import { roleModel } from "../../assembly/role-model.js";
import { InputError } from "../../common/errors.js";
import { createGitHubClient, DEFAULT_API_URL } from "../../github/client.js";
import { parseRepoRef } from "../../github/repo-ref.js";
import { REVIEW_EVENTS, type ReviewEvent } from "../../github/review-event.js";
import { type PullRequestReview, reviewPullRequest } from "../../github/review-pull-request.js";
import { parseRepoOverrides, resolveRepoSource } from "../../workspace/repo-source.js";
import { commandContext, type GlobalOptions } from "../context.js";
import { readIssueInput } from "../issue-input.js";
import { collect, positiveInteger } from "../option-parsers.js";
import { commandOutDir } from "../out-dir.js";
import { FILE_OR_STDIN, pathOption, REPO_OVERRIDE } from "../path-options.js";
import { progressLine } from "../progress.js";
import {
  addReviewRunOptions,
  type ReviewRunFlags,
  reviewFormatOption,
  reviewOutOption,
  reviewRunLayer,
} from "../review-options.js";
import { REVIEW_EXIT } from "./review.js";

interface GitHubReviewOptions extends ReviewRunFlags {
  repo: string[];
  pr: string;
  event: ReviewEvent;
  apiUrl?: string;
  repoPath?: string;
  issue?: string;
  out?: string;
  format: "markdown" | "json";
  dryRun?: boolean;
}

export function registerGitHubCommand(program: Command): void {
  const github = program.command("github").description("review GitHub pull requests");
  const review = github
    .command("review")
    .description(
      "review a pull request and post one review on it: the summary as the body, defects as inline comments on the changed lines; a re-run replaces swe-review's earlier review (token from GITHUB_TOKEN; exit 0 approve, 1 request changes, 2 no verdict, 3 bad input)",
    )
    .addOption(
      pathOption(
        "--repo <repo>",
        "the repository, owner/name; owner/name=/path/to/clone also says where a local clone is (repeatable)",
        REPO_OVERRIDE,
      )
        .argParser(collect)
        .default([])
        .makeOptionMandatory(),
    )
    .requiredOption("--pr <number>", "the pull request's number")
    .addOption(
      new Option(
        "--event <event>",
        "the strongest review event allowed: REQUEST_CHANGES or APPROVE are used only when the verdict matches",
      )
        .choices([...REVIEW_EVENTS])
        .default("COMMENT"),
    )
    .option("--api-url <url>", `the REST API's URL (default: GITHUB_API_URL, else ${DEFAULT_API_URL})`)
    .addOption(
      pathOption(
        "--repo-path <dir>",
        "a local clone of the repository (default: clone it from GitHub)",
        "folder",
      ),
    )
    .addOption(
      pathOption(
        "--issue <file>",
        "the issue text, instead of the issues the pull request links (Fixes #N)",
        FILE_OR_STDIN,
      ),
    )
    .addOption(reviewOutOption("github"))
    .addOption(reviewFormatOption())
    .option("--dry-run", "review and print the review, but post nothing");
  addReviewRunOptions(review).action(async (options: GitHubReviewOptions, command: Command) => {
    const number = positiveInteger(options.pr, "--pr") ?? 0;
    const { config, logger } = commandContext(
      command.optsWithGlobals<GlobalOptions>(),
      reviewRunLayer(options),
    );
    const { repo, localClone } = repositoryOf(options);
    const token = process.env.GITHUB_TOKEN || undefined;
    if (!token && !options.dryRun) {
      throw new InputError(
        "github_token_missing",
        "GITHUB_TOKEN is not set: posting a review needs a token with pull-requests: write (in GitHub Actions, pass secrets.GITHUB_TOKEN). Use --dry-run to review without posting.",
      );
    }
    const octokit = createGitHubClient({
      token,
      apiUrl: options.apiUrl ?? (process.env.GITHUB_API_URL || DEFAULT_API_URL),
      logger,
    });
    const reviewer = roleModel(config, {}, logger);
    const outDir = commandOutDir("github", options.out);
    const progress = progressLine("review", config.agent.maxSteps);
    const result = await reviewPullRequest(
      octokit,
      {
        repo,
        number,
        event: options.event,
        mode: options.mode,
        ...(localClone ? { localClone } : {}),
        ...(options.issue ? { issue: readIssueInput(options.issue) } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
      },
      {
        ...reviewEnvironmentFrom(config, logger, reviewer, token ? [token] : []),
        outDir,
        onStep: progress.update,
      },
      logger,
    );
    progress.done();
    process.stdout.write(
      options.format === "json" ? `${JSON.stringify(summary(result), null, 2)}\n` : result.draft.body,
    );
    process.stderr.write(`${postedLine(result, options.dryRun === true)}\n`);
    process.exitCode = REVIEW_EXIT[result.review.outcome.decision ?? "none"];
  });
}

/** The repository (`--repo owner/name`, or the one `--repo owner/name=/path` names) and its local clone, if any. */
function repositoryOf(options: GitHubReviewOptions): {
  repo: ReturnType<typeof parseRepoRef>;
  localClone?: string;
} {
  const plain = options.repo.filter((value) => !value.includes("="));
  const overrides = parseRepoOverrides(options.repo.filter((value) => value.includes("=")));
  const names = [...new Set([...plain, ...overrides.keys()])];
  if (names.length !== 1 || !names[0]) {
    throw new InputError(
      "bad_option",
      `--repo: name exactly one repository (owner/name, or owner/name=/path/to/clone); got ${names.join(", ") || "none"}.`,
    );
  }
  const repo = parseRepoRef(names[0]);
  const path = options.repoPath ?? overrides.get(names[0]);
  if (!path) return { repo };
  const source = resolveRepoSource(path);
  if (source.kind !== "path") throw new InputError("bad_option", `--repo-path ${path}: expected a folder.`);
  return { repo, localClone: source.path };
}

function summary(result: PullRequestReview) {
  return {
    pull_request: result.pull.htmlUrl,
    head: result.pull.headSha,
    merge_base: result.pull.mergeBase,
    issue: result.issue.source,
    decision: result.review.outcome.decision,
    event: result.draft.event,
    body: result.draft.body,
    comments: result.draft.comments,
    posted: result.posted
      ? { id: result.posted.review.id, url: result.posted.review.html_url, inline: result.posted.inline }
      : null,
    superseded: result.superseded,
    report: result.review.reportPath,
    trajectory: result.review.trajectoryPath,
  };
}

function postedLine(result: PullRequestReview, dryRun: boolean): string {
  const files = `report: ${result.review.reportPath}; trajectory: ${result.review.trajectoryPath}`;
  if (dryRun) return `[dry run: nothing posted; ${files}]`;
  if (!result.posted)
    return `[no verdict, so nothing was posted: ${result.review.outcome.reason ?? "unknown reason"}; ${files}]`;
  const inline = result.posted.inline ? result.draft.comments.length : 0;
  const superseded =
    result.superseded.length > 0 ? `; replaced ${result.superseded.length} earlier review(s)` : "";
  return `[posted ${result.draft.event} review ${result.posted.review.html_url} with ${inline} inline comment(s)${superseded}; ${files}]`;
}
