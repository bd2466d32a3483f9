import { type RepoRef, repoName } from "./repo-ref.js";

/** An issue a pull request says it resolves. */
export interface IssueRef extends RepoRef {
  number: number;
}

// GitHub's closing keywords, then `#12`, `owner/repo#12`, or an issue URL (any host: GitHub Enterprise too).
const CLOSING_REFERENCE =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:([\w.-]+)\/([\w.-]+)#(\d+)|#(\d+)|https?:\/\/[^\s/]+\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+))/gi;

/**
 * The issues a pull request's title and description link with GitHub's closing keywords ("Fixes #12", "closes
 * octo-org/widgets#3", "Resolves https://github.com/octo-org/widgets/issues/4"), in order, without repeats.
 * References without a repository are to `repo`.
 */
export function linkedIssueRefs(text: string, repo: RepoRef): IssueRef[] {
  const found = new Map<string, IssueRef>();
  for (const match of text.matchAll(CLOSING_REFERENCE)) {
    const [, owner, name, number, local, urlOwner, urlName, urlNumber] = match;
    const ref: IssueRef =
      local !== undefined
        ? { ...repo, number: Number(local) }
        : number !== undefined
          ? { owner: owner ?? "", repo: name ?? "", number: Number(number) }
          : { owner: urlOwner ?? "", repo: urlName ?? "", number: Number(urlNumber) };
    const key = `${repoName(ref).toLowerCase()}#${ref.number}`;
    if (!found.has(key)) found.set(key, ref);
  }
  return [...found.values()];
}

/** How an issue is named in a review body: `#12` in the same repository, `owner/repo#12` elsewhere. */
export function issueLabel(ref: IssueRef, repo: RepoRef): string {
  const same = repoName(ref).toLowerCase() === repoName(repo).toLowerCase();
  return same ? `#${ref.number}` : `${repoName(ref)}#${ref.number}`;
}
