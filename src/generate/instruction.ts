export interface GenerationPaths {
  testbed: string;
  reviewData: string;
  /** Where the PR content goes, e.g. /pr_content.json. */
  prContent: string;
}

/**
 * What the generation instruction says about the task; optional facts are left out of the instruction when
 * absent.
 */
export interface IssueFacts {
  /** The issue text the patch must resolve. */
  problemStatement: string;
  /** `owner/name`. */
  repo?: string;
  /** The project's version, as a benchmark instance records it. */
  version?: string;
  /** The commit the checkout is at. */
  baseCommit: string;
  instanceId?: string;
}

function prContentSection(path: string): string {
  return `## Required: PR Content
When your fix is complete, write \`${path}\` with the pull request's title and description:
\`\`\`json
{"pr_title": "fix: concise title", "pr_body": "What was changed and why."}
\`\`\`
Do not end your work (with \`finish\`, or by answering) before this file exists.`;
}

/** The patch-generation task (reference §7.1), in our words; the base-commit line is what patch extraction keys on. */
export function generationInstruction(issue: IssueFacts, paths: GenerationPaths): string {
  const facts = [
    issue.repo ? `**Repo:** \`${issue.repo}\`` : undefined,
    issue.version ? `**Version:** \`${issue.version}\`` : undefined,
    `**Base commit:** \`${issue.baseCommit}\``,
    issue.instanceId ? `**Instance ID:** \`${issue.instanceId}\`` : undefined,
  ].filter(Boolean);
  return `# Task

Create a pull request that fixes the following issue.

${issue.problemStatement.trim()}

---
${facts.join("\n")}

The repository is at \`${paths.testbed}\`, checked out at the base commit. Find the root cause, fix it with a focused change, and verify the fix by running code (a reproduction of the issue and the tests near your change). Do not modify existing tests unless the issue requires it.

${prContentSection(paths.prContent)}`;
}

/**
 * The revision task: the reviewer's feedback inlined (reference §7.4, as deployed by the benchmark), starting from a
 * clean base by default or from the previous patch already applied.
 */
export function revisionInstruction(
  feedback: string,
  paths: GenerationPaths,
  options: { fromPrevious: boolean },
): string {
  const start = options.fromPrevious
    ? `Your previous patch is already applied in \`${paths.testbed}\`: change it as the feedback requires.`
    : `The repository at \`${paths.testbed}\` is at the base commit: your previous patch is NOT applied. Write the corrected fix from there.`;
  return `# Revision Task

A reviewer examined your previous patch for the issue below and requested changes.

## Review Feedback

${feedback}

## Instructions
1. Read the issue in \`${paths.reviewData}/problem_statement.txt\`.
2. Read your previous patch in \`${paths.reviewData}/predicted.json\` (the \`patch\` field).
3. Understand each point of the feedback, and check it against the code yourself.
4. Implement a corrected fix in \`${paths.testbed}\` that addresses the ROOT CAUSE of the issue and every defect the reviewer found, without introducing new problems. Verify it by running code.

${start}

${prContentSection(paths.prContent)}`;
}
