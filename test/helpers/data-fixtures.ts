import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Small dataset rows and folders for tests, in the shapes the real datasets use. */

export const sweBenchRow = {
  repo: "sympy/sympy",
  instance_id: "sympy__sympy-20590",
  base_commit: "cffd4e0f86fefd4802349a9f9b19ed70934ea354",
  patch: "diff --git a/sympy/core/_print_helpers.py b/sympy/core/_print_helpers.py\n",
  test_patch: "diff --git a/sympy/core/tests/test_basic.py b/sympy/core/tests/test_basic.py\n",
  problem_statement: "Symbol instances have __dict__ since 1.7?",
  hints_text: "",
  created_at: "2020-12-12T18:18:38Z",
  version: "1.7",
  FAIL_TO_PASS: '["test_immutable"]',
  PASS_TO_PASS: '["test__aresame", "test_structure"]',
  environment_setup_commit: "cffd4e0f86fefd4802349a9f9b19ed70934ea354",
};

/** A SWE-Review-Bench split folder as the downloader writes it (two candidates, one with an instances.json entry). */
export function writeSplitFolder(root: string): string {
  const dir = join(root, "glm5_500");
  mkdirSync(dir);
  const write = (name: string, instances: unknown) =>
    writeFileSync(join(dir, name), JSON.stringify({ instances }, null, 2));
  write("patches_filtered.json", {
    "sympy__sympy-20590": { model_patch: "diff a", resolved: true },
    "django__django-11099": { model_patch: "diff b", resolved: false },
  });
  write("pr_contents.json", {
    "sympy__sympy-20590": { pr_title: "Fix __dict__", pr_body: "Adds __slots__." },
  });
  const { FAIL_TO_PASS, PASS_TO_PASS, patch, hints_text, created_at, environment_setup_commit, ...rest } =
    sweBenchRow;
  write("instances.json", {
    "sympy__sympy-20590": { ...rest, image_name: "swebench/sweb.eval.x86_64.sympy:latest" },
  });
  return dir;
}
