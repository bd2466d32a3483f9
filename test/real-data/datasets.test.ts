import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCandidates, loadInstances } from "../../src/data/load.js";
import { testDirectives } from "../../src/harness/specs/directives.js";
import { planTestRun } from "../../src/harness/specs/plan.js";
import { findTestSpec } from "../../src/harness/specs/resolve.js";
import { SWE_BENCH_REPOS } from "../../src/harness/specs/swe-bench-repos.js";
import { missingSharedData, sharedDataDir } from "../helpers/shared-data.js";
import { skipTitle } from "../helpers/skip.js";

const data = sharedDataDir();
const file = (path: string) => (data && existsSync(join(data, path)) ? join(data, path) : undefined);
const lite = file("swe-bench-lite/instances.jsonl");
const dayjs = file("multi-swe-bench/dayjs.jsonl");
const candidates = file("candidates/sympy-dev.jsonl");

const noLite = missingSharedData("swe-bench-lite/instances.jsonl");
describe.skipIf(noLite)(skipTitle("SWE-bench Lite (../shared/data)", noLite), () => {
  it("imports every instance with its test lists, a known parser and test directives", async () => {
    const instances = await loadInstances(lite as string);
    expect(instances).toHaveLength(300);
    for (const instance of instances) {
      expect(instance.FAIL_TO_PASS?.length, instance.instance_id).toBeGreaterThan(0);
      const repo = SWE_BENCH_REPOS[instance.repo];
      expect(repo, instance.repo).toBeDefined();
      expect(
        testDirectives(instance.test_patch, repo?.testFiles).length,
        instance.instance_id,
      ).toBeGreaterThan(0);
    }
    for (const instance of instances.filter((item) => item.repo === "sympy/sympy")) {
      const spec = findTestSpec(instance);
      if (!spec) throw new Error(`no spec for ${instance.instance_id}`);
      const plan = planTestRun(spec, instance, { pythonVersion: "3.11", supportDir: "/tmp/shim" });
      expect(plan.command).toMatch(/^\/usr\/bin\/python3 bin\/test -C --verbose sympy\/\S+\.py/);
      expect(plan.files.length, instance.version).toBe(
        ["1.0", "1.1"].includes(instance.version ?? "") ? 1 : 0,
      );
    }
  });
});

const noDayjs = missingSharedData("multi-swe-bench/dayjs.jsonl");
describe.skipIf(noDayjs)(skipTitle("Multi-SWE-bench dayjs (../shared/data)", noDayjs), () => {
  it("imports every instance with FAIL_TO_PASS tests and a base commit", async () => {
    const instances = await loadInstances(dayjs as string);
    expect(instances).toHaveLength(40);
    for (const instance of instances) {
      expect(instance.repo).toBe("iamkun/dayjs");
      expect(instance.base_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(instance.FAIL_TO_PASS?.length, instance.instance_id).toBeGreaterThan(0);
      expect(findTestSpec(instance)?.command).toBe("npm test");
    }
  });
});

const noCandidates = missingSharedData("candidates/sympy-dev.jsonl");
describe.skipIf(noCandidates)(skipTitle("sympy candidates (../shared/data)", noCandidates), () => {
  it("imports every candidate with its official label", async () => {
    const rows = await loadCandidates(candidates as string);
    expect(rows).toHaveLength(37);
    expect(rows.filter((row) => row.resolved).length).toBe(33);
  });
});
