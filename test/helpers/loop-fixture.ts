import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { CORRECT_PATCH, ISSUE } from "./review-fixture.js";

function prContent(title: string, body: string): ScriptEntry {
  const json = JSON.stringify({ pr_title: title, pr_body: body });
  return {
    toolCalls: [
      { name: "terminal", arguments: { command: `cat > /pr_content.json << 'EOF'\n${json}\nEOF` } },
    ],
  };
}

/**
 * A scripted generator: sample 1 swallows the KeyError in report.py (a symptom fix); the revision (from the 5th
 * turn on, `GENERATOR.slice(4)` alone) adds the ounce factor in units.py.
 */
export const GENERATOR: ScriptEntry[] = [
  { toolCalls: [{ name: "terminal", arguments: { command: "grep -rn FACTORS /testbed/inventory" } }] },
  {
    toolCalls: [
      {
        name: "file_editor",
        arguments: {
          command: "str_replace",
          path: "/testbed/inventory/report.py",
          old_str: "    return sum(to_grams(quantity, unit) for quantity, unit in items)",
          new_str:
            "    total = 0\n    for quantity, unit in items:\n        try:\n            total += to_grams(quantity, unit)\n        except KeyError:\n            continue\n    return total",
        },
      },
    ],
  },
  prContent("fix: skip unknown units", "total_weight no longer crashes on unknown units."),
  { toolCalls: [{ name: "finish", arguments: { message: "Done." } }] },
  // the revision
  {
    toolCalls: [
      { name: "terminal", arguments: { command: "cat /review_data/predicted.json | head -c 300" } },
    ],
  },
  {
    toolCalls: [
      {
        name: "file_editor",
        arguments: {
          command: "str_replace",
          path: "/testbed/inventory/units.py",
          old_str: '"lb": 453.592}',
          new_str: '"lb": 453.592, "oz": 28.3495}',
        },
      },
    ],
  },
  prContent("fix: support ounces", "Adds the ounce factor to FACTORS, where conversions are defined."),
  { toolCalls: [{ name: "finish", arguments: { message: "Revised." } }] },
];

/** The instance's test patch: a FAIL_TO_PASS test for ounces. */
export const OZ_TEST_PATCH = `diff --git a/tests/test_units.py b/tests/test_units.py
--- a/tests/test_units.py
+++ b/tests/test_units.py
@@ -10,6 +10,9 @@ class TestWeights(unittest.TestCase):
     def test_format(self):
         self.assertEqual(format_weight([(2, 'g')]), '2.0 g')
 
+    def test_oz(self):
+        self.assertAlmostEqual(total_weight([(2, 'oz')]), 56.699)
+
 
 if __name__ == '__main__':
     unittest.main()
`;

export const INSTANCE_ID = "demo__inventory-1";
const test = (name: string) => `tests/test_units.py::TestWeights::${name}`;
export const OZ_TEST = test("test_oz");

/**
 * A SWE-bench row for the review fixture's repository (`demo/inventory` at `base`), with its tests, and a
 * configuration whose `test:` spec runs them with Debian's pytest. Returns the two files.
 */
export function writeInventoryDataset(root: string, base: string): { dataset: string; config: string } {
  const dataset = join(root, "instances.jsonl");
  writeFileSync(
    dataset,
    `${JSON.stringify({
      instance_id: INSTANCE_ID,
      repo: "demo/inventory",
      base_commit: base,
      problem_statement: ISSUE,
      patch: CORRECT_PATCH,
      test_patch: OZ_TEST_PATCH,
      FAIL_TO_PASS: [OZ_TEST],
      PASS_TO_PASS: [test("test_kg"), test("test_format")],
    })}\n`,
  );
  const config = join(root, "config.yaml");
  writeFileSync(
    config,
    "test:\n  repo: demo/inventory\n  command: '{python} -m pytest -rA {test_files}'\n  parser: pytest\n",
  );
  return { dataset, config };
}
