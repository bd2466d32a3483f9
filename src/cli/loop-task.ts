import { InputError } from "../common/errors.js";
import type { Instance } from "../data/instance.js";
import { findInstance, loadInstances } from "../data/load.js";
import type { GenerationRequest } from "../generate/generation.js";
import { datasetRepoSource, type RepoSource, resolveRepoSource } from "../workspace/repo-source.js";
import { readIssueInput } from "./issue-input.js";

/** What the loop is asked to fix: from `--repo/--base/--issue`, or from a dataset instance (which they override). */
export interface LoopTask {
  source: RepoSource;
  base: string;
  issue: GenerationRequest["issue"];
  /** The dataset instance, when one was named (what `--verify` runs the tests of). */
  instance?: Instance;
  /** A local clone given for the instance's repository (so verification checks out the same code). */
  overrides: Map<string, string>;
}

export interface LoopTaskFlags {
  repo?: string;
  base?: string;
  issue?: string;
  dataset?: string;
  instance?: string;
  verify?: boolean;
}

export async function loopTaskFrom(flags: LoopTaskFlags): Promise<LoopTask> {
  if (flags.dataset && !flags.instance) {
    throw new InputError(
      "bad_option",
      `--dataset ${flags.dataset} needs --instance <id>: the instance whose issue the loop fixes.`,
    );
  }
  if (flags.instance && !flags.dataset) {
    throw new InputError(
      "bad_option",
      `--instance ${flags.instance} needs --dataset <file> to look it up in.`,
    );
  }
  const instance =
    flags.dataset && flags.instance
      ? findInstance(await loadInstances(flags.dataset), flags.instance, flags.dataset)
      : undefined;
  if (flags.verify && !instance) {
    throw new InputError(
      "bad_option",
      "--verify needs --dataset <file> --instance <id>: the instance's FAIL_TO_PASS and PASS_TO_PASS tests decide " +
        "whether a sample resolves the issue.",
    );
  }
  const issue = flags.issue ? readIssueInput(flags.issue) : instance?.problem_statement;
  if (issue === undefined) {
    throw new InputError(
      "bad_option",
      "loop needs the issue: --issue <file> (or - for standard input), or --dataset <file> --instance <id>.",
    );
  }
  const base = flags.base ?? instance?.base_commit;
  if (!base) {
    throw new InputError(
      "bad_option",
      "loop needs the commit to fix the issue at: --base <rev>, or --dataset <file> --instance <id>.",
    );
  }
  // A dataset row's repository comes from GitHub (or a --repo clone); only yours may name a folder or a URL.
  const source =
    flags.repo !== undefined
      ? resolveRepoSource(flags.repo)
      : instance
        ? datasetRepoSource(instance.repo)
        : resolveRepoSource(".");
  const overrides = new Map<string, string>();
  if (instance && source.kind === "path") overrides.set(instance.repo, source.path);
  return {
    source,
    base,
    issue: {
      problemStatement: issue,
      ...(instance ? { instanceId: instance.instance_id, repo: instance.repo } : {}),
    },
    ...(instance ? { instance } : {}),
    overrides,
  };
}
