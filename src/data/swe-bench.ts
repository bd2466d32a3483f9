import { z } from "zod";
import { type Instance, REPO_PATTERN } from "./instance.js";
import { TestNamesSchema } from "./test-names.js";

/** Text that may be missing or null (hub rows have nulls where JSONL rows leave fields out). */
export const OptionalTextSchema = z
  .string()
  .nullish()
  .transform((text) => text ?? undefined);

/** A SWE-bench row (JSONL, JSON or the hub's Parquet): SWE-bench, Lite, Verified, SWE-rebench and look-alikes. */
export const SweBenchRowSchema = z.object({
  instance_id: z.string().min(1),
  repo: z.string().regex(REPO_PATTERN, "expected owner/name"),
  base_commit: z.string().min(1),
  problem_statement: z.string(),
  patch: OptionalTextSchema,
  test_patch: z.string(),
  /** Usually text ("3.0"); a number is taken as written. */
  version: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((version) => (version == null ? undefined : String(version))),
  FAIL_TO_PASS: TestNamesSchema.optional(),
  PASS_TO_PASS: TestNamesSchema.optional(),
  hints_text: OptionalTextSchema,
  created_at: z
    .union([z.string(), z.date().transform((date) => date.toISOString())])
    .nullish()
    .transform((text) => text ?? undefined),
  environment_setup_commit: OptionalTextSchema,
  image_name: OptionalTextSchema,
});
export type SweBenchRow = z.infer<typeof SweBenchRowSchema>;

export function instanceFromSweBench(row: SweBenchRow, dataset: Instance["dataset"] = "swe-bench"): Instance {
  return withoutUndefined({
    instance_id: row.instance_id,
    repo: row.repo,
    base_commit: row.base_commit,
    problem_statement: row.problem_statement,
    patch: row.patch,
    test_patch: row.test_patch,
    version: row.version,
    FAIL_TO_PASS: row.FAIL_TO_PASS,
    PASS_TO_PASS: row.PASS_TO_PASS,
    hints_text: row.hints_text,
    created_at: row.created_at,
    environment_setup_commit: row.environment_setup_commit,
    image_name: row.image_name,
    dataset,
  });
}

/** The object without its `undefined` fields, so written rows stay free of `"x": null` noise. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
