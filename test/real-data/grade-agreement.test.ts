import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadInstances } from "../../src/data/load.js";
import { agreementWithOfficial, gradeOfficialLogs } from "../../src/harness/grading/agreement.js";
import { missingSharedData, sharedDataDir } from "../helpers/shared-data.js";
import { skipTitle } from "../helpers/skip.js";

const data = sharedDataDir();
const index = data && join(data, "eval-logs", "index.jsonl");
const lite = data && join(data, "swe-bench-lite", "instances.jsonl");

const noData = missingSharedData("eval-logs/index.jsonl", "swe-bench-lite/instances.jsonl");
describe.skipIf(noData)(
  skipTitle("grading official SWE-bench logs (../shared/data/eval-logs)", noData),
  () => {
    it("agrees with every official label the current grader reproduces", async () => {
      const graded = await gradeOfficialLogs(index as string, await loadInstances(lite as string));
      const agreement = agreementWithOfficial(graded);
      const disagreements = agreement.disagreements.map(
        (row) =>
          `${row.entry.instance_id}: official ${row.entry.official_resolved}, ours ${row.result.resolved}`,
      );
      expect(disagreements).toEqual([]);
      expect(agreement.compared).toBe(graded.filter((row) => !row.entry.harness_version_drift).length);
      expect(agreement.compared).toBeGreaterThan(0);
      // Both labels occur, so agreement is not an artefact of answering one way.
      const resolved = graded.filter((row) => row.result.resolved).length;
      expect(resolved).toBeGreaterThan(0);
      expect(resolved).toBeLessThan(graded.length);
    });
  },
);
