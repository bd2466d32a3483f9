import { z } from "zod";
import type { Instance } from "./instance.js";
import { OptionalTextSchema, withoutUndefined } from "./swe-bench.js";

/** Multi-SWE-bench keeps test lists as `{<test name>: {run, test, fix}}`; a plain list is read too. */
const TestMapSchema = z
  .union([z.array(z.string()), z.record(z.string(), z.unknown())])
  .nullish()
  .transform((tests) => (tests == null ? [] : Array.isArray(tests) ? tests : Object.keys(tests)));

/** A Multi-SWE-bench row (`org`, `repo`, `number`, `base.sha`, `fix_patch`, `test_patch`, `f2p_tests`, …). */
export const MultiSweBenchRowSchema = z.object({
  org: z.string().min(1),
  repo: z.string().min(1),
  number: z.number().int(),
  title: OptionalTextSchema,
  body: OptionalTextSchema,
  base: z.object({ sha: z.string().min(1), ref: OptionalTextSchema, label: OptionalTextSchema }),
  resolved_issues: z
    .array(
      z.object({ number: z.number().int().nullish(), title: OptionalTextSchema, body: OptionalTextSchema }),
    )
    .nullish()
    .transform((issues) => issues ?? []),
  fix_patch: z.string(),
  test_patch: z.string(),
  f2p_tests: TestMapSchema,
  p2p_tests: TestMapSchema,
  s2p_tests: TestMapSchema,
  n2p_tests: TestMapSchema,
  instance_id: OptionalTextSchema,
});
export type MultiSweBenchRow = z.infer<typeof MultiSweBenchRowSchema>;

/** A row has Multi-SWE-bench's shape when it carries `fix_patch` and a `base` object. */
export function looksLikeMultiSweBench(value: unknown): boolean {
  return typeof value === "object" && value !== null && "fix_patch" in value && "base" in value;
}

/**
 * The normalised instance. FAIL_TO_PASS is every test the fix must make pass: Multi-SWE-bench's f2p, s2p
 * (skipped before) and n2p (absent before) tests. The problem statement is the text of the issues the pull
 * request resolves, or the pull request's own title and body when it names none.
 */
export function instanceFromMultiSweBench(row: MultiSweBenchRow): Instance {
  const issues = row.resolved_issues.map((issue) => joinText(issue.title, issue.body)).filter(Boolean);
  return withoutUndefined({
    instance_id: row.instance_id ?? `${row.org}__${row.repo}-${row.number}`,
    repo: `${row.org}/${row.repo}`,
    base_commit: row.base.sha,
    problem_statement: issues.length > 0 ? issues.join("\n\n") : joinText(row.title, row.body),
    patch: row.fix_patch,
    test_patch: row.test_patch,
    FAIL_TO_PASS: [...new Set([...row.f2p_tests, ...row.s2p_tests, ...row.n2p_tests])],
    PASS_TO_PASS: row.p2p_tests,
    dataset: "multi-swe-bench" as const,
  });
}

function joinText(title: string | undefined, body: string | undefined): string {
  return [title, body].filter((part) => part?.trim()).join("\n");
}
