import { posix } from "node:path";

export interface ReviewerPaths {
  testbed: string;
  reviewData: string;
  /** The report file, e.g. /review_report.json. */
  report: string;
}

/**
 * The reviewer's task, in our own words, with the protocol of the published reviewer (reference §7.2): understand
 * the issue; find the root cause independently; commit to a fix before reading the patch; apply and compare;
 * check callers; test; report. Paths come from the workspace, so the local sandbox works too.
 */
export function reviewerInstruction(paths: ReviewerPaths, options: { maxSteps: number }): string {
  const { testbed, reviewData, report } = paths;
  const steps = options.maxSteps;
  const at = (fraction: number) => Math.max(1, Math.round(steps * fraction));
  const predicted = posix.join(reviewData, "predicted.json");
  return `# Code Review Task

A pull request claims to fix an issue in the repository at \`${testbed}\`. Decide whether the patch resolves the issue at its ROOT CAUSE, and say precisely what is wrong when it does not. Your only deliverable is the report file \`${report}\`.

## Inputs (read-only, in \`${reviewData}/\`)
- \`problem_statement.txt\`: the issue.
- \`summary.json\`: what the files are.
- \`predicted.json\`: the candidate pull request: \`patch\` (a unified diff), \`pr_title\`, \`pr_body\`. Do NOT open it before Step 4.

The repository at \`${testbed}\` is at the base commit, without the patch.

## Budget
You have ${steps} steps. Spend about ${at(0.1)} on reading the issue and forming a hypothesis, ${at(0.3)} on exploring the code, ${at(0.2)} on testing and ${at(0.1)} on the report. When you reach step ${at(0.7)}, write the report with what you know, even if your analysis is unfinished.

## Step 1: understand the issue (do NOT read the patch yet)
Read \`problem_statement.txt\` and \`summary.json\`. Write down the EXPECTED behaviour and the ACTUAL behaviour precisely, with the inputs that show the difference.

## Step 2: find the root cause yourself
Trace from the entry point the issue names, through the call chain, to the place where the wrong value is CREATED or the wrong logic runs, not where it is merely noticed. When the symptom is a wrong or missing output, follow every code path that produces that output. Read at most 8 to 10 source files. Write down: File, Function, Line, and what is wrong there.

## Step 3: commit to your own fix
Before opening the patch, write the fix you would make: which file, which function, what change.

## Step 4: read, apply and compare the patch
Extract and apply it, and change no other source file:
\`python3 -c "import json; print(json.load(open('${predicted}'))['patch'])" > /tmp/p.diff && cd ${testbed} && git apply /tmp/p.diff\`
Compare the patch with your proposal: the same file? the same function? the same depth in the call stack?
HARD RULE: a symptom fix means request_changes even when the tests pass. A symptom fix is: a change shallower than, or elsewhere from, the root cause; one that prevents the crash but not the wrong value; a guard where the value is USED instead of where it is CREATED; a fix for one manifestation while others remain.

## Step 4b: check callers
If the patch changes a function's signature, a decorator such as \`@lru_cache\`, or the name of anything callable, grep for every caller. A caller the patch breaks is a high-severity defect.

## Step 5: test
Write (under /tmp) and run:
1. a reproduction of the issue's exact scenario;
2. a check of the full behaviour with exact values (for printed output, capture and compare the whole stdout, e.g. \`subprocess.run([...], capture_output=True)\`; an empty stdout is a failure when output is expected);
3. a regression check: the repository's existing tests near the changed code.
If any of them fails, write a request_changes report IMMEDIATELY.

## Step 6: write the report
Write \`${report}\` with a heredoc (\`cat > ${report} << 'EOF'\` … \`EOF\`), then validate it:
\`python3 -c "import json; r = json.load(open('${report}')); print('OK:', r['decision']['recommendation'])"\`

\`\`\`json
{
  "decision": {"recommendation": "approve" or "request_changes", "confidence": 0.0 to 1.0},
  "summary": {
    "problem": "one sentence: the root cause (file, function, what is wrong)",
    "solution": "two to four sentences: what the patch changes and whether it matches the root cause",
    "overall_assessment": "one or two sentences: the verdict and its reason"
  },
  "defects": [
    {
      "severity": "high" or "medium" or "low",
      "category": "correctness" or "compatibility" or "security" or "performance" or "maintainability",
      "location": {"path": "exact/path/from/repo/root.py", "start_line": 10, "end_line": 20},
      "description": "what is wrong: the specific code, condition and failure",
      "suggestion": "in file.py, function foo(), change X to Y"
    }
  ]
}
\`\`\`

## Decision rules
- APPROVE only when the tests pass, including the behaviour checks, the patch changes the root-cause location you identified, and there is no high-severity defect.
- REQUEST CHANGES on any failing test, a symptom fix, a fix that covers only some of the affected paths, any high-severity defect, or an empty patch.
- Severity. High (always request_changes): an incorrect result for any input; nondeterminism where determinism is expected (producing previously ordered output from \`set()\`, \`frozenset()\` or another unordered collection is always high/correctness); a missing fix for a sibling case; a new exception or crash; a security issue. Medium: correct but slower or less efficient. Low: style or naming.
- Confidence: 0.9 or more when tests you ran decide the question; 0.7 to 0.89 with partial testing; below 0.7 without tests.
- With approve, list no high-severity defect. With request_changes, list each defect with its exact location and a concrete suggestion.

Write nothing but \`${report}\`. When it is written and validated, call \`finish\` with a one-paragraph summary of your verdict.`;
}
