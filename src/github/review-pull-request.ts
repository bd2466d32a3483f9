import type { Octokit } from "@octokit/rest";
import type { Logger } from "../common/logger.js";
import { reportFacts } from "../review/render.js";
import {
  type ReviewEnvironment,
  type ReviewMode,
  type ReviewResult,
  runReview,
} from "../review/run-review.js";
import type { RepoSource } from "../workspace/repo-source.js";
import { diffFiles, withoutBinaryFiles } from "./diff-lines.js";
import { type IssueText, pullRequestIssue } from "./issue-text.js";
import { placeDefects } from "./placement.js";
import { type Posted, postReview, type ReviewDraft } from "./post-review.js";
import { type PullRequest, readPullRequest } from "./pull-request.js";
import { type RepoRef, repoName } from "./repo-ref.js";
import { inlineCommentBody, reviewBody } from "./review-body.js";
import { type ReviewEvent, reviewEvent } from "./review-event.js";
import { type Superseded, supersedeEarlierReviews } from "./supersede.js";

/** Which pull request to review, and how far the posted review may go. */
export interface PullRequestReviewRequest {
  repo: RepoRef;
  /** The pull request's number. */
  number: number;
  /** A local clone of the repository; without one it is fetched from the pull request's clone URL. */
  localClone?: string;
  /** The issue text, instead of the issues the pull request links. */
  issue?: string;
  /** The strongest event allowed (see `reviewEvent`). */
  event: ReviewEvent;
  /** The reviewer: the agentic one or a single-turn baseline. */
  mode: ReviewMode;
  /** Review and draft, but post nothing. */
  dryRun?: boolean;
}

/**
 * What `reviewPullRequest` did: the pull request and issue it read, the review, the draft, and what it posted.
 */
export interface PullRequestReview {
  pull: Omit<PullRequest, "diff">;
  /** The issue text the reviewer was given, and where it came from. */
  issue: IssueText;
  review: ReviewResult;
  /** The review body and inline comments as drafted (posted or not). */
  draft: ReviewDraft;
  /** Absent on a dry run, and when the review reached no verdict (nothing worth posting). */
  posted?: Posted;
  /** swe-review's earlier reviews of the pull request that this one retired (empty when nothing was posted). */
  superseded: Superseded[];
}

/**
 * Reviews a pull request and posts one review on it: reads the pull request, its diff and linked issues; reviews
 * the diff in a workspace at the merge base it starts from; drafts the summary as the body and each defect as an
 * inline comment where the diff shows its lines (in the body otherwise); posts it on the head commit; and retires
 * swe-review's earlier reviews of the pull request, so a re-run replaces rather than piles up. A review without a
 * verdict (the model failed) is not posted.
 */
export async function reviewPullRequest(
  octokit: Octokit,
  request: PullRequestReviewRequest,
  environment: ReviewEnvironment,
  logger: Logger,
): Promise<PullRequestReview> {
  const pull = await readPullRequest(octokit, request.repo, request.number);
  const issue: IssueText =
    request.issue !== undefined
      ? { text: request.issue, source: "the issue given with --issue", linked: [] }
      : await pullRequestIssue(octokit, pull, logger);
  const { diff, binary } = withoutBinaryFiles(pull.diff);
  const source: RepoSource = request.localClone
    ? { kind: "path", path: request.localClone }
    : { kind: "url", url: pull.cloneUrl };
  logger.info(
    { pull: pull.htmlUrl, mergeBase: pull.mergeBase, head: pull.headSha, issue: issue.source },
    "reviewing the pull request",
  );
  const review = await runReview(
    {
      source,
      base: pull.mergeBase,
      issue: issue.text,
      patch: diff,
      prTitle: pull.title,
      prBody: pull.body,
      instanceId: `${request.repo.owner}__${request.repo.repo}-${pull.number}`,
      repo: repoName(request.repo),
      mode: request.mode,
    },
    environment,
  );
  const placed = placeDefects(review.outcome.report?.defects ?? [], diffFiles(diff));
  const context = {
    headSha: pull.headSha,
    issueSource: issue.source,
    binary,
    facts: reportFacts(review.reportFile),
  };
  const draft: ReviewDraft = {
    event: reviewEvent(request.event, review.outcome.decision),
    body: reviewBody(review.outcome, placed, context),
    comments: placed.flatMap((item) =>
      item.anchor ? [{ ...item.anchor, body: inlineCommentBody(item.defect, item.anchor) }] : [],
    ),
    bodyWithoutInline: reviewBody(
      review.outcome,
      placed.map((item) => ({ defect: item.defect })),
      context,
    ),
  };
  const { diff: _diff, ...described } = pull;
  const result: PullRequestReview = { pull: described, issue, review, draft, superseded: [] };
  if (request.dryRun || review.outcome.decision === null) return result;
  const target = { ...request.repo, number: pull.number, headSha: pull.headSha };
  const posted = await postReview(octokit, target, draft, logger);
  const superseded = await supersedeEarlierReviews(
    octokit,
    target,
    { ...posted.review, headSha: pull.headSha },
    logger,
  );
  return { ...result, posted, superseded };
}
