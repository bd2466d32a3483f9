import { git } from "../workspace/git.js";

export interface ExtractedDiff {
  patch: string;
  /** Binary files the agent changed, left out of the patch (patches are text). */
  skippedBinary: string[];
}

/**
 * What an agent changed in a checkout, as the published harness takes it: stage everything (`git add -A`, new
 * files included) and diff against the base commit. Binary files are left out and listed.
 */
export async function extractCandidateDiff(checkout: string, base: string): Promise<ExtractedDiff> {
  await git(["add", "-A"], { cwd: checkout });
  const numstat = await git(["diff", "--cached", "--numstat", "-z", base], { cwd: checkout });
  const skippedBinary: string[] = [];
  for (const record of numstat.stdout.split("\0")) {
    const match = /^-\t-\t(.+)$/.exec(record);
    if (match?.[1]) skippedBinary.push(match[1]);
  }
  const exclude = skippedBinary.map((path) => `:(exclude,literal)${path}`);
  const diff = await git(["diff", "--cached", "--no-color", "--no-ext-diff", base, "--", ".", ...exclude], {
    cwd: checkout,
  });
  return { patch: diff.stdout, skippedBinary };
}
