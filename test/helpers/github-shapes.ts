/**
 * The answers of GitHub's REST API for the endpoints pull-request review uses, in the shapes GitHub documents (pull
 * request, compare, issue, review, review comment), filled from the fake's state.
 */

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  headSha: string;
  baseSha: string;
  mergeBase: string;
  diff: string;
  /** Lines a review comment may be placed on: path -> side -> line numbers. */
  commentable: Record<string, { RIGHT?: number[]; LEFT?: number[] }>;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
}

export interface StoredReview {
  id: number;
  body: string;
  state: "COMMENTED" | "CHANGES_REQUESTED" | "APPROVED" | "DISMISSED";
  commit_id: string;
  login: string;
  submitted_at: string;
}

export interface StoredComment {
  id: number;
  review_id: number;
  path: string;
  body: string;
  line: number;
  side: string;
  start_line: number | null;
  start_side: string | null;
  in_reply_to_id?: number;
  login: string;
  commit_id: string;
}

/** What the shapes are filled from. */
export interface ShapeContext {
  owner: string;
  repo: string;
  pull: FakePull;
  commentCount: number;
}

export function userJson(login: string) {
  const bot = login.endsWith("[bot]");
  return {
    login,
    id: bot ? 41898282 : 583231,
    node_id: bot ? "MDM6Qm90NDE4OTgyODI=" : "MDQ6VXNlcjU4MzIzMQ==",
    avatar_url: `https://avatars.githubusercontent.com/u/${bot ? 41898282 : 583231}?v=4`,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: bot ? "Bot" : "User",
    site_admin: false,
  };
}

export function repoJson(ctx: ShapeContext) {
  const full = `${ctx.owner}/${ctx.repo}`;
  return {
    id: 1296269,
    node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
    name: ctx.repo,
    full_name: full,
    private: false,
    owner: userJson(ctx.owner),
    html_url: `https://github.com/${full}`,
    clone_url: `https://github.com/${full}.git`,
    default_branch: "main",
  };
}

export function pullJson(ctx: ShapeContext) {
  const { number } = ctx.pull;
  const full = `${ctx.owner}/${ctx.repo}`;
  return {
    url: `https://api.github.com/repos/${full}/pulls/${number}`,
    id: 1,
    node_id: "MDExOlB1bGxSZXF1ZXN0MQ==",
    html_url: `https://github.com/${full}/pull/${number}`,
    diff_url: `https://github.com/${full}/pull/${number}.diff`,
    patch_url: `https://github.com/${full}/pull/${number}.patch`,
    number,
    state: "open",
    locked: false,
    title: ctx.pull.title,
    user: userJson("octocat"),
    body: ctx.pull.body,
    labels: [],
    created_at: "2026-11-20T19:01:12Z",
    updated_at: "2026-11-21T20:01:12Z",
    draft: false,
    head: {
      label: "octocat:fix-ounces",
      ref: "fix-ounces",
      sha: ctx.pull.headSha,
      user: userJson("octocat"),
      repo: repoJson(ctx),
    },
    base: {
      label: `${ctx.owner}:main`,
      ref: "main",
      sha: ctx.pull.baseSha,
      user: userJson(ctx.owner),
      repo: repoJson(ctx),
    },
    author_association: "CONTRIBUTOR",
    merged: false,
    mergeable: true,
    comments: 0,
    review_comments: ctx.commentCount,
    commits: 1,
    additions: 7,
    deletions: 1,
    changed_files: Object.keys(ctx.pull.commentable).length,
  };
}

export function compareJson(ctx: ShapeContext) {
  const full = `${ctx.owner}/${ctx.repo}`;
  const commit = (sha: string) => ({
    url: `https://api.github.com/repos/${full}/commits/${sha}`,
    sha,
    node_id: "MDY6Q29tbWl0",
    html_url: `https://github.com/${full}/commit/${sha}`,
    commit: {
      message: "a commit",
      author: { name: "Monalisa Octocat", email: "support@github.com", date: "2026-11-20T19:01:12Z" },
    },
    parents: [],
  });
  return {
    url: `https://api.github.com/repos/${full}/compare/${ctx.pull.baseSha}...${ctx.pull.headSha}`,
    html_url: `https://github.com/${full}/compare/${ctx.pull.baseSha}...${ctx.pull.headSha}`,
    base_commit: commit(ctx.pull.baseSha),
    merge_base_commit: commit(ctx.pull.mergeBase),
    status: "diverged",
    ahead_by: 1,
    behind_by: 1,
    total_commits: 1,
    commits: [commit(ctx.pull.headSha)],
  };
}

export function issueJson(ctx: ShapeContext, issue: FakeIssue) {
  const full = `${ctx.owner}/${ctx.repo}`;
  return {
    id: 1,
    node_id: "MDU6SXNzdWUx",
    url: `https://api.github.com/repos/${full}/issues/${issue.number}`,
    html_url: `https://github.com/${full}/issues/${issue.number}`,
    number: issue.number,
    state: "open",
    title: issue.title,
    body: issue.body,
    user: userJson("octocat"),
    labels: [],
    comments: 0,
    created_at: "2026-11-19T19:01:12Z",
    updated_at: "2026-11-19T19:01:12Z",
    author_association: "NONE",
  };
}

export function reviewJson(ctx: ShapeContext, review: StoredReview) {
  const full = `${ctx.owner}/${ctx.repo}`;
  const html = `https://github.com/${full}/pull/${ctx.pull.number}#pullrequestreview-${review.id}`;
  const api = `https://api.github.com/repos/${full}/pulls/${ctx.pull.number}`;
  return {
    id: review.id,
    node_id: "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
    user: userJson(review.login),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: api,
    _links: { html: { href: html }, pull_request: { href: api } },
    submitted_at: review.submitted_at,
    commit_id: review.commit_id,
    author_association: review.login.endsWith("[bot]") ? "NONE" : "COLLABORATOR",
  };
}

export function commentJson(ctx: ShapeContext, comment: StoredComment) {
  const full = `${ctx.owner}/${ctx.repo}`;
  return {
    url: `https://api.github.com/repos/${full}/pulls/comments/${comment.id}`,
    pull_request_review_id: comment.review_id,
    id: comment.id,
    node_id: "MDI0OlB1bGxSZXF1ZXN0UmV2aWV3Q29tbWVudDEw",
    diff_hunk: "@@ -2,7 +2,13 @@",
    path: comment.path,
    commit_id: comment.commit_id,
    original_commit_id: comment.commit_id,
    ...(comment.in_reply_to_id === undefined ? {} : { in_reply_to_id: comment.in_reply_to_id }),
    user: userJson(comment.login),
    body: comment.body,
    created_at: "2026-11-21T20:01:12Z",
    updated_at: "2026-11-21T20:01:12Z",
    html_url: `https://github.com/${full}/pull/${ctx.pull.number}#discussion_r${comment.id}`,
    pull_request_url: `https://api.github.com/repos/${full}/pulls/${ctx.pull.number}`,
    author_association: "NONE",
    start_line: comment.start_line,
    original_start_line: comment.start_line,
    start_side: comment.start_side,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: "line",
  };
}
