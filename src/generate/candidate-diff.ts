import { lstatSync } from "node:fs";
import { join } from "node:path";
import { IsolatedGit } from "../workspace/isolated-git.js";

export interface ExtractedDiff {
  patch: string;
  /** Binary files the agent changed, left out of the patch (patches are text). */
  skippedBinary: string[];
}

/** What a workspace's setup made (an `AgentSetup` has it). */
export interface SetupProducts {
  /** The untracked paths it made (`node_modules`, `.venv`, a folder, a file). */
  created: readonly string[];
  /** When it was done (ms since the epoch): a file under `created` modified since is the agent's. */
  doneAtMs: number;
}

const NO_PRODUCTS: SetupProducts = { created: [], doneAtMs: 0 };

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
 * so is what the workspace's setup made (`node_modules`, `.venv`), as long as it is as the setup left it.
 *
 * The agent could write anything in the checkout's `.git`, so none of it is used: git runs over the working tree
 * with a repository of our own (`IsolatedGit`) and a fresh index read from the base, which makes git hash every
 * file (about a second on sympy's 2,000 files) rather than trust stat data from an index the agent wrote.
 */
export async function extractCandidateDiff(
  checkout: CandidateCheckout,
  setup: SetupProducts = NO_PRODUCTS,
): Promise<ExtractedDiff> {
  const base = checkout.commit;
  const repo = IsolatedGit.create({
    workTree: checkout.testbed,
    gitDir: join(checkout.state, "candidate-git"),
    objectsDir: checkout.mirror.objectsDir,
    head: base,
    ignored: setup.created,
  });
  try {
    await repo.run(["read-tree", base]);
    await repo.run(["add", "-A"]);
    if (setup.created.length > 0) await addChangedSince(repo, checkout.testbed, setup);
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

/**
 * Stages what the agent made or changed under the setup's paths after the setup (a fix in a folder the setup made;
 * by the file's times, which the setup cannot set for a file written after it), unless the repository's or the
 * agent's ignore rules leave it out, as they would in a checkout without the setup.
 */
async function addChangedSince(repo: IsolatedGit, workTree: string, setup: SetupProducts): Promise<void> {
  repo.stopIgnoring();
  const others = await repo.run(["ls-files", "--others", "--exclude-standard", "-z"]);
  // Only what the setup's patterns alone left out is listed: what is under its paths, and what else a pattern
  // matches (a newline in a name matches as any one character).
  const changed = others.stdout.split("\0").filter((path) => {
    if (!path || path.endsWith("/")) return false;
    const stat = lstatSync(join(workTree, path), { throwIfNoEntry: false });
    // In whole milliseconds, as `doneAtMs` is: a file the setup wrote in that same millisecond is not later. The
    // change time too, which no process sets: a setup can date its files in the future. (As root it tells nothing:
    // handing the checkout to the sandbox's user changes every file's.)
    const later = (ms: number) => Math.floor(ms) > setup.doneAtMs;
    return stat !== undefined && later(stat.mtimeMs) && later(stat.ctimeMs);
  });
  if (changed.length === 0) return;
  await repo.run(
    ["--literal-pathspecs", "add", "--pathspec-from-file=-", "--pathspec-file-nul"],
    changed.map((path) => `${path}\0`).join(""),
  );
}
