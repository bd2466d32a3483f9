import type { Octokit } from "@octokit/rest";
import { SweReviewError } from "../common/errors.js";
import type { Logger } from "../common/logger.js";
import { callGitHub, gitHubError } from "./api-error.js";
import type { CommentAnchor } from "./placement.js";
import { parseAnswer } from "./pull-request.js";
import type { RepoRef } from "./repo-ref.js";
import type { ReviewEvent } from "./review-event.js";
import { type PostedReview, PostedReviewSchema } from "./supersede.js";

/** One pull-request review, as it is submitted. */
export interface ReviewDraft {
  event: ReviewEvent;
  body: string;
  comments: (CommentAnchor & { body: string })[];
  /** Used instead of `body` if GitHub refuses the inline comments: the same review with every defect listed. */
  bodyWithoutInline: string;
}

export interface Posted {
  review: PostedReview;
  /** False when GitHub refused the inline comments and the defects went into the body instead. */
  inline: boolean;
}

/**
 * Submits the review on the pull request's head commit. If GitHub refuses the inline comments (422: a line it
 * cannot resolve, e.g. after a force-push between reading and posting), the review is submitted again with every
 * defect in the body, so a verdict is never lost to a comment position.
 */
export async function postReview(
  octokit: Octokit,
  target: RepoRef & { number: number; headSha: string },
  draft: ReviewDraft,
  logger: Logger,
): Promise<Posted> {
  const submit = async (body: string, comments: ReviewDraft["comments"]) => {
    const response = await octokit.rest.pulls.createReview({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      commit_id: target.headSha,
      event: draft.event,
      body,
      ...(comments.length > 0 ? { comments } : {}),
    });
    return parseAnswer(PostedReviewSchema, response.data, "the posted review");
  };
  try {
    return { review: await submit(draft.body, draft.comments), inline: draft.comments.length > 0 };
  } catch (error) {
    if (error instanceof SweReviewError) throw error;
    const status = (error as { status?: unknown }).status;
    if (status !== 422 || draft.comments.length === 0) throw gitHubError(error, "posting the review");
    logger.warn({ err: error }, "GitHub refused the inline comments; posting the defects in the review body");
    const review = await callGitHub("posting the review without inline comments", () =>
      submit(draft.bodyWithoutInline, []),
    );
    return { review, inline: false };
  }
}
