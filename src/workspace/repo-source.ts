import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../common/errors.js";
import { REPO_NAME } from "../common/repo-name.js";

/** Where a repository comes from: a folder on this machine, or a URL git can clone. */
export type RepoSource = { kind: "path"; path: string } | { kind: "url"; url: string };

/** `owner/name=/path/to/clone` pairs from `--repo` flags: use a local clone instead of the network. */
export type RepoOverrides = ReadonlyMap<string, string>;

/** `owner/name=/path/to/clone`. */
const OVERRIDE = /^([^=\s]+\/[^=\s]+)=(.+)$/;

/**
 * Reads `--repo owner/name=/path/to/clone` values into `owner/name` → absolute path. Throws an `InputError`
 * (`repo_override_invalid`) for a value not of that form.
 */
export function parseRepoOverrides(values: readonly string[] = []): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const value of values) {
    const match = OVERRIDE.exec(value);
    if (!match?.[1] || !match[2]) {
      throw new InputError(
        "repo_override_invalid",
        `--repo ${value}: expected owner/name=/path/to/clone, e.g. --repo sympy/sympy=$HOME/src/sympy.`,
      );
    }
    overrides.set(match[1], resolve(match[2]));
  }
  return overrides;
}

/**
 * Resolves how to get a repository: an explicit path or URL as given; `owner/name` through an override, else from
 * GitHub.
 */
export function resolveRepoSource(spec: string, overrides: RepoOverrides = new Map()): RepoSource {
  const override = overrides.get(spec);
  if (override) return pathSource(override, `--repo ${spec}=${override}`);
  const local = localRepoPath(spec);
  if (local !== undefined) return pathSource(local, spec);
  if (isGitUrl(spec)) return { kind: "url", url: spec };
  if (/^[\w.-]+\/[\w.-]+$/.test(spec)) return { kind: "url", url: `https://github.com/${spec}.git` };
  throw new InputError(
    "repo_invalid",
    `Repository '${spec}' is neither a folder, a git URL, nor owner/name. Pass a path to a clone, a URL, owner/name, or owner/name=/path/to/clone.`,
  );
}

/**
 * Where a dataset row's repository comes from: the clone `--repo owner/name=/path` names for it, else GitHub. Never
 * a local path or another URL, whatever the row says: dataset rows are not trusted to choose the machine's folders
 * or servers (`swe-review review --repo` takes those from you).
 */
export function datasetRepoSource(repo: string, overrides: RepoOverrides = new Map()): RepoSource {
  const override = overrides.get(repo);
  if (override) return pathSource(override, `--repo ${repo}=${override}`);
  if (!REPO_NAME.test(repo)) {
    throw new InputError(
      "repo_invalid",
      `The dataset names repository '${repo}', which is not owner/name. Fix the row, or give a clone with --repo ${repo}=/path/to/clone.`,
    );
  }
  return { kind: "url", url: `https://github.com/${repo}.git` };
}

/**
 * The local folder a repository spec names, or undefined for a URL or a bare owner/name: `owner/name=/path/to/clone`,
 * or a path (absolute, relative, `~`, or anything that exists).
 */
export function localRepoPath(spec: string): string | undefined {
  // owner/name=/path/to/clone: that repository, from a local clone
  const named = /^[\w.-]+\/[\w.-]+=(.+)$/.exec(spec);
  if (named?.[1]) return expandHome(named[1]);
  if (isGitUrl(spec)) return undefined;
  if (spec.startsWith("/") || spec.startsWith(".") || spec.startsWith("~") || existsSync(spec))
    return expandHome(spec);
  return undefined;
}

/** The clone folder of an `owner/name=/path/to/clone` override, or undefined when the value is not one. */
export function overridePath(value: string): string | undefined {
  const path = OVERRIDE.exec(value)?.[2];
  return path ? resolve(path) : undefined;
}

function isGitUrl(spec: string): boolean {
  return /^(https?|ssh|git|file):\/\//.test(spec) || /^[\w.-]+@[\w.-]+:/.test(spec);
}

function expandHome(path: string): string {
  return resolve(path.replace(/^~(?=\/|$)/, process.env.HOME ?? "~"));
}

function pathSource(path: string, given: string): RepoSource {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new InputError("repo_missing", `Repository folder ${path} (from ${given}) does not exist.`);
  }
  return { kind: "path", path };
}

export function describeSource(source: RepoSource): string {
  return source.kind === "path" ? source.path : source.url;
}
