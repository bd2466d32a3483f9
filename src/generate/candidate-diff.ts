import { join } from "node:path";
import { IsolatedGit } from "../workspace/isolated-git.js";

export interface ExtractedDiff {
  patch: string;
  /** Binary files the agent changed, left out of the patch (patches are text). */
  skippedBinary: string[];
}

/** What extraction needs of a workspace (a `Workspace` has it). */
export interface CandidateCheckout {
  /** The working tree the agent changed. */
  testbed: string;
  /** Host-only state: extraction keeps its own repository there while it runs. */
  state: string;
  /** The base commit, and the object store the host knows it from. */
  commit: string;
  mirror: { objectsDir: string };
}

/**
 * What an agent changed in a checkout, as the published harness takes it: stage everything (`git add -A`, new
 * files included, ignored files not) and diff against the base commit. Binary files are left out and listed, and
 * so are `setupProducts`, the untracked paths the workspace's setup made (`node_modules`, `.venv`).
 *
 * The agent could write anything in the checkout's `.git`, so none of it is used: git runs over the working tree
 * with a repository of our own (`IsolatedGit`) and a fresh index read from the base, which makes git hash every
 * file (about a second on sympy's 2,000 files) rather than trust stat data from an index the agent wrote.
 */
export async function extractCandidateDiff(
  checkout: CandidateCheckout,
  setupProducts: readonly string[] = [],
): Promise<ExtractedDiff> {
  const base = checkout.commit;
  const repo = IsolatedGit.create({
    workTree: checkout.testbed,
    gitDir: join(checkout.state, "candidate-git"),
    objectsDir: checkout.mirror.objectsDir,
    head: base,
    ignored: setupProducts,
  });
  try {
    await repo.run(["read-tree", base]);
    await repo.run(["add", "-A"]);
    const diffFlags = ["--cached", "--no-ext-diff", "--no-textconv"];
    const numstat = await repo.run(["diff", ...diffFlags, "--numstat", "-z", base]);
    const skippedBinary: string[] = [];
    for (const record of numstat.stdout.split("\0")) {
      const match = /^-\t-\t(.+)$/.exec(record);
      if (match?.[1]) skippedBinary.push(match[1]);
    }
    const exclude = skippedBinary.map((path) => `:(exclude,literal)${path}`);
    const diff = await repo.run(["diff", ...diffFlags, "--no-color", base, "--", ".", ...exclude]);
    return { patch: diff.stdout, skippedBinary };
  } finally {
    repo.dispose();
  }
}
