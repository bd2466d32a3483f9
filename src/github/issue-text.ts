import type { Octokit } from "@octokit/rest";
import { z } from "zod";
import type { Logger } from "../common/logger.js";
import { callGitHub } from "./api-error.js";
import { type IssueRef, issueLabel, linkedIssueRefs } from "./linked-issues.js";
import { type PullRequest, parseAnswer } from "./pull-request.js";

const IssueSchema = z.object({ number: z.number().int(), title: z.string(), body: z.string().nullable() });

/** The issue text a pull request is reviewed against, and where it came from (for the review body). */
export interface IssueText {
  text: string;
  /** "#12", "#12, octo-org/other#3", or a sentence saying the description was used. */
  source: string;
  linked: IssueRef[];
}

/**
 * The text of the issues a pull request links with closing keywords (title and body of each). Issues that cannot
 * be read are skipped with a warning. Without any, the pull request's own title and description stand in.
 */
export async function pullRequestIssue(
  octokit: Octokit,
  pull: PullRequest,
  logger: Logger,
): Promise<IssueText> {
  const refs = linkedIssueRefs(`${pull.title}\n${pull.body}`, pull.repo);
  const read: { ref: IssueRef; text: string }[] = [];
  for (const ref of refs) {
    try {
      const raw = await callGitHub(`reading issue ${issueLabel(ref, pull.repo)}`, async () => {
        const response = await octokit.rest.issues.get({
          owner: ref.owner,
          repo: ref.repo,
          issue_number: ref.number,
        });
        return response.data;
      });
      const issue = parseAnswer(IssueSchema, raw, `issue ${issueLabel(ref, pull.repo)}`);
      read.push({ ref, text: `# ${issue.title}\n\n${issue.body ?? ""}`.trim() });
    } catch (error) {
      logger.warn({ err: error, issue: ref }, "could not read a linked issue; reviewing without it");
    }
  }
  if (read.length === 0) {
    return {
      text: `# ${pull.title}\n\n${pull.body}`.trim(),
      source:
        refs.length === 0
          ? "the pull request's description (it links no issue with Fixes #N)"
          : `the pull request's description (the linked ${refs.map((ref) => issueLabel(ref, pull.repo)).join(", ")} could not be read)`,
      linked: [],
    };
  }
  return {
    text: read.map((item) => item.text).join("\n\n---\n\n"),
    source: read.map((item) => issueLabel(item.ref, pull.repo)).join(", "),
    linked: read.map((item) => item.ref),
  };
}
