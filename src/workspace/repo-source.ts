import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../common/errors.js";

/** Where a repository comes from: a folder on this machine, or a URL git can clone. */
export type RepoSource = { kind: "path"; path: string } | { kind: "url"; url: string };

/** `owner/name=/path/to/clone` pairs from `--repo` flags: use a local clone instead of the network. */
export type RepoOverrides = ReadonlyMap<string, string>;

export function parseRepoOverrides(values: readonly string[] = []): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const value of values) {
    const match = /^([^=\s]+\/[^=\s]+)=(.+)$/.exec(value);
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
  // owner/name=/path/to/clone: that repository, from a local clone
  const named = /^[\w.-]+\/[\w.-]+=(.+)$/.exec(spec);
  if (named?.[1]) return pathSource(resolve(named[1].replace(/^~(?=\/|$)/, process.env.HOME ?? "~")), spec);
  if (/^(https?|ssh|git|file):\/\//.test(spec) || /^[\w.-]+@[\w.-]+:/.test(spec))
    return { kind: "url", url: spec };
  if (spec.startsWith("/") || spec.startsWith(".") || spec.startsWith("~") || existsSync(spec)) {
    return pathSource(resolve(spec.replace(/^~(?=\/|$)/, process.env.HOME ?? "~")), spec);
  }
  if (/^[\w.-]+\/[\w.-]+$/.test(spec)) return { kind: "url", url: `https://github.com/${spec}.git` };
  throw new InputError(
    "repo_invalid",
    `Repository '${spec}' is neither a folder, a git URL, nor owner/name. Pass a path to a clone, a URL, owner/name, or owner/name=/path/to/clone.`,
  );
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
