import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSplitFolder } from "../../test/helpers/data-fixtures.js";
import { loadInstances } from "./load.js";
import { loadSweReviewBench } from "./swe-review-bench.js";

const folder = () => mkdtempSync(join(tmpdir(), "swe-review-bench-"));

describe("loadSweReviewBench", () => {
  it("reads a split folder: patches with labels, PR contents and instances, keyed by instance id", async () => {
    const bench = await loadSweReviewBench(writeSplitFolder(folder()));
    expect(bench.split).toBe("glm5_500");
    expect(bench.entries).toHaveLength(2);
    const [first, second] = bench.entries;
    expect(first).toMatchObject({
      candidate_resolved: true,
      candidate: {
        candidate_id: "sympy__sympy-20590@glm5_500",
        instance_id: "sympy__sympy-20590",
        model_patch: "diff a",
        pr_title: "Fix __dict__",
        pr_body: "Adds __slots__.",
        source: "glm5_500",
        resolved: true,
      },
      instance: {
        repo: "sympy/sympy",
        image_name: "swebench/sweb.eval.x86_64.sympy:latest",
        dataset: "swe-review-bench",
      },
    });
    expect(first?.instance?.FAIL_TO_PASS).toBeUndefined();
    expect(second).toMatchObject({
      candidate_resolved: false,
      candidate: { instance_id: "django__django-11099" },
    });
    expect(second?.instance).toBeUndefined();
  });

  it("reads hub rows, normalising `resolved` to `candidate_resolved`, and refuses a row without a label", async () => {
    const dir = folder();
    const row = {
      instance_id: "astropy__astropy-12907",
      model_patch: "diff",
      resolved: false,
      pr_title: "t",
      pr_body: "b",
      image_name: "img",
      base_commit: "abc",
      repo: "astropy/astropy",
      version: "4.3",
      problem_statement: "p",
      test_patch: "tp",
    };
    const file = join(dir, "qwen3_coder_30b_500.jsonl");
    writeFileSync(file, `${JSON.stringify(row)}\n`);
    const bench = await loadSweReviewBench(file);
    expect(bench.split).toBe("qwen3_coder_30b_500");
    expect(bench.entries[0]).toMatchObject({
      candidate_resolved: false,
      candidate: { resolved: false, pr_title: "t" },
    });
    writeFileSync(file, `${JSON.stringify({ ...row, resolved: undefined })}\n`);
    await expect(loadSweReviewBench(file)).rejects.toThrow(/line 1 has no ground truth/);
  });

  it("gives loadInstances a split folder's instances, and says when a folder is not a split", async () => {
    const instances = await loadInstances(writeSplitFolder(folder()));
    expect(instances.map((instance) => instance.instance_id)).toEqual(["sympy__sympy-20590"]);
    await expect(loadSweReviewBench(folder())).rejects.toThrow(
      /neither patches_filtered.json nor patches_v3.json/,
    );
  });
});
