import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import type { Logger } from "../common/logger.js";
import { callGitHub } from "./api-error.js";
import { parseAnswer } from "./pull-request.js";
import type { RepoRef } from "./repo-ref.js";
import { REVIEW_MARKER, SUPERSEDED_MARKER, supersededBody } from "./review-body.js";

const ReviewSchema = z.object({
  id: z.number().int(),
  body: z.string().nullable(),
  state: z.string(),
  html_url: z.string(),
  user: z.object({ login: z.string() }).nullable(),
});
export type PostedReview = z.infer<typeof ReviewSchema>;
export const PostedReviewSchema = ReviewSchema;

const ReviewCommentSchema = z.object({
  id: z.number().int(),
  body: z.string(),
  pull_request_review_id: z.number().int().nullable(),
  in_reply_to_id: z.number().int().optional(),
});

export interface Superseded {
  reviewId: number;
  /** Inline comments deleted (nobody had replied to them). */
  deleted: number;
  /** Inline comments kept because someone replied; marked as outdated instead. */
  marked: number;
  dismissed: boolean;
}

/**
 * Retires the reviews swe-review posted earlier on this pull request under the same account, now that `current`
 * replaces them: their inline comments are deleted (or, where someone replied, marked as superseded so the
 * conversation keeps its context), their body shrinks to a link to the new review, and a review that requested
 * changes or approved is dismissed, so a stale verdict neither blocks nor approves the new commits. A step
 * GitHub refuses (e.g. dismissing without the permission) is logged and skipped: the new review is already up.
 */
export async function supersedeEarlierReviews(
  octokit: Octokit,
  target: RepoRef & { number: number },
  current: PostedReview & { headSha: string },
  logger: Logger,
): Promise<Superseded[]> {
  const pull = { owner: target.owner, repo: target.repo, pull_number: target.number };
  const reviews = parseAnswer(
    z.array(ReviewSchema),
    await callGitHub("listing the pull request's reviews", () =>
      octokit.paginate(octokit.rest.pulls.listReviews, { ...pull, per_page: 100 }),
    ),
    "the pull request's reviews",
  );
  const earlier = reviews.filter(
    (review) =>
      review.id !== current.id &&
      review.user?.login === current.user?.login &&
      (review.body ?? "").includes(REVIEW_MARKER) &&
      !(review.body ?? "").includes(SUPERSEDED_MARKER),
  );
  if (earlier.length === 0) return [];
  const comments = parseAnswer(
    z.array(ReviewCommentSchema),
    await callGitHub("listing the pull request's review comments", () =>
      octokit.paginate(octokit.rest.pulls.listReviewComments, { ...pull, per_page: 100 }),
    ),
    "the pull request's review comments",
  );
  const repliedTo = new Set(comments.flatMap((comment) => comment.in_reply_to_id ?? []));
  const done: Superseded[] = [];
  for (const review of earlier) {
    const result: Superseded = { reviewId: review.id, deleted: 0, marked: 0, dismissed: false };
    const attempt = async (doing: string, step: () => Promise<void>) => {
      try {
        await callGitHub(doing, step);
      } catch (error) {
        logger.warn({ err: error, review: review.id }, `could not finish ${doing}; leaving it`);
      }
    };
    for (const comment of comments.filter((item) => item.pull_request_review_id === review.id)) {
      if (repliedTo.has(comment.id)) {
        await attempt("marking an earlier inline comment as superseded", async () => {
          await octokit.rest.pulls.updateReviewComment({
            owner: target.owner,
            repo: target.repo,
            comment_id: comment.id,
            body: `_Superseded by [a newer swe-review review](${current.html_url})._\n\n<details><summary>Earlier comment</summary>\n\n${comment.body}\n\n</details>`,
          });
          result.marked++;
        });
      } else {
        await attempt("deleting an earlier inline comment", async () => {
          await octokit.rest.pulls.deleteReviewComment({
            owner: target.owner,
            repo: target.repo,
            comment_id: comment.id,
          });
          result.deleted++;
        });
      }
    }
    await attempt("replacing an earlier review's body", async () => {
      await octokit.rest.pulls.updateReview({
        ...pull,
        review_id: review.id,
        body: supersededBody(current.html_url, current.headSha),
      });
    });
    if (review.state === "CHANGES_REQUESTED" || review.state === "APPROVED") {
      await attempt("dismissing an earlier review", async () => {
        await octokit.rest.pulls.dismissReview({
          ...pull,
          review_id: review.id,
          message: `Superseded by swe-review's review of ${current.headSha.slice(0, 7)}.`,
          event: "DISMISS",
        });
        result.dismissed = true;
      });
    }
    done.push(result);
  }
  return done;
}
