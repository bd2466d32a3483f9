import { z } from "zod";
import { ParserNameSchema } from "../parsers/registry.js";
import { InfrastructureSchema } from "./infrastructure.js";

/** Where Debian's Python and its `python3-*` packages live. */
export const DEFAULT_PYTHON = "/usr/bin/python3";

/** Compatibility shims a spec can ask for. `collections-abc`: see `shims.ts`. */
export const ShimNameSchema = z.enum(["collections-abc"]);
export type ShimName = z.infer<typeof ShimNameSchema>;

/** Versions a spec covers: `from` inclusive, `before` exclusive, compared as dotted numbers. */
export const VersionRangeSchema = z
  .object({ from: z.string().min(1).optional(), before: z.string().min(1).optional() })
  .strict();
export type VersionRange = z.infer<typeof VersionRangeSchema>;

/**
 * How to run one repository's tests, as data. The command is a shell command run in the checkout; `{python}`
 * stands for the interpreter and `{test_files}` for the test directives of the instance's test patch.
 */
export const TestSpecSchema = z
  .object({
    /** `owner/name`. */
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "expected owner/name"),
    /** The instance versions this spec covers; absent: every version. */
    versions: VersionRangeSchema.optional(),
    command: z.string().min(1),
    parser: ParserNameSchema,
    /** Shell commands run once in a fresh checkout before any patch (they may need the network). */
    setup: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    /** The interpreter `{python}` stands for. */
    python: z.string().min(1).default(DEFAULT_PYTHON),
    /** How `{test_files}` names the tests. */
    testFiles: z.enum(["paths", "django-modules"]).default("paths"),
    /**
     * Test infrastructure beyond the framework's own (see `infrastructure.ts`): files restored from the base
     * commit, and test-tool modules removed, when the candidate touched them.
     */
    infrastructure: InfrastructureSchema.optional(),
    /**
     * Per-instance specs only (`swe-bench/test-spec.ts`): commands run after the candidate, before the test files
     * are reset, never graded (see `TestRunPlan.beforeTests`).
     */
    beforeTests: z.array(z.string().min(1)).optional(),
    /** Per-instance specs only: a dataset row's own evaluation script (see `TestRunPlan.evalScript`). */
    evalScript: z.string().min(1).optional(),
    /** Shims installed when the interpreter is at least `minPython`. */
    shims: z.array(z.object({ name: ShimNameSchema, minPython: z.string() }).strict()).default([]),
    /** What the machine needs (for `doctor`): programs on PATH and Python modules the interpreter imports. */
    requires: z
      .object({
        executables: z.array(z.string()).default([]),
        pythonModules: z.array(z.string()).default([]),
      })
      .strict()
      .default({ executables: [], pythonModules: [] }),
  })
  .strict();
/** How to run one repository's tests, defaults applied; see `TestSpecSchema`. */
export type TestSpec = z.infer<typeof TestSpecSchema>;
/**
 * A test spec as written: `setup`, `env`, `python`, `testFiles`, `shims` and `requires` may be left out
 * (defaults).
 */
export type TestSpecInput = z.input<typeof TestSpecSchema>;

/** Orders dotted versions numerically (`1.10` after `1.9`); a leading `v` is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) =>
    version
      .replace(/^v/i, "")
      .split(".")
      .map((part) => Number.parseInt(part, 10) || 0);
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function coversVersion(spec: Pick<TestSpec, "versions">, version: string | undefined): boolean {
  if (!spec.versions) return true;
  if (version === undefined) return false;
  const { from, before } = spec.versions;
  return (
    (from === undefined || compareVersions(version, from) >= 0) &&
    (before === undefined || compareVersions(version, before) < 0)
  );
}
