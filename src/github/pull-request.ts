import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import { InputError } from "../common/errors.js";
import { callGitHub } from "./api-error.js";
import { type RepoRef, repoName } from "./repo-ref.js";

// The fields read from GitHub's answers; everything else in them is ignored.
const PullRequestSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  html_url: z.string(),
  state: z.string(),
  head: z.object({ sha: z.string(), ref: z.string() }),
  base: z.object({
    sha: z.string(),
    ref: z.string(),
    repo: z.object({ full_name: z.string(), clone_url: z.string() }),
  }),
});

const CompareSchema = z.object({ merge_base_commit: z.object({ sha: z.string() }) });

/** A pull request as a review needs it. */
export interface PullRequest {
  repo: RepoRef;
  number: number;
  title: string;
  body: string;
  htmlUrl: string;
  headSha: string;
  baseRef: string;
  /** Where the diff starts: the merge base of the base branch and the head (what GitHub's diff is against). */
  mergeBase: string;
  /** The base repository's clone URL. */
  cloneUrl: string;
  /** The pull request's diff, as GitHub shows it. */
  diff: string;
}

/** Reads a pull request, its diff, and the merge base its diff starts from. */
export async function readPullRequest(octokit: Octokit, repo: RepoRef, number: number): Promise<PullRequest> {
  const where = `${repoName(repo)}#${number}`;
  const raw = await callGitHub(`reading pull request ${where}`, async () => {
    const response = await octokit.rest.pulls.get({ ...repo, pull_number: number });
    return response.data;
  });
  const pull = parseAnswer(PullRequestSchema, raw, `pull request ${where}`);
  const diff = await callGitHub(`reading the diff of ${where}`, async () => {
    const response = await octokit.rest.pulls.get({
      ...repo,
      pull_number: number,
      mediaType: { format: "diff" },
    });
    return response.data as unknown;
  });
  if (typeof diff !== "string") {
    throw new InputError("github_bad_answer", `GitHub did not answer the diff of ${where} as text.`);
  }
  const compare = await callGitHub(`finding the merge base of ${where}`, async () => {
    const response = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${pull.base.sha}...${pull.head.sha}`,
      per_page: 1,
    });
    return response.data;
  });
  return {
    repo,
    number: pull.number,
    title: pull.title,
    body: pull.body ?? "",
    htmlUrl: pull.html_url,
    headSha: pull.head.sha,
    baseRef: pull.base.ref,
    mergeBase: parseAnswer(CompareSchema, compare, `the comparison of ${where}`).merge_base_commit.sha,
    cloneUrl: pull.base.repo.clone_url,
    diff,
  };
}

/** Validates the part of an API answer that is read, or says which answer did not have the expected shape. */
export function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      "github_bad_answer",
      `GitHub's answer for ${what} is not what swe-review expects (${issue?.path.join(".") || "answer"}: ${issue?.message ?? "bad shape"}). Is --api-url a GitHub REST API?`,
    );
  }
  return parsed.data;
}
