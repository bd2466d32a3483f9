import { InputError } from "../common/errors.js";

/** A GitHub repository by owner and name. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export function parseRepoRef(value: string, given = "--repo"): RepoRef {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new InputError(
      "repo_invalid",
      `${given} ${value}: expected owner/name, e.g. --repo octo-org/widgets.`,
    );
  }
  return { owner: match[1], repo: match[2] };
}

export function repoName(ref: RepoRef): string {
  return `${ref.owner}/${ref.repo}`;
}
