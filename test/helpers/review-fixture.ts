import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { TempRepo } from "./git-repo.js";

/**
 * A small Python project with a real bug: `to_grams` has no factor for ounces, so `total_weight` of an order with
 * ounces raises KeyError. The root-cause fix adds the factor in units.py; the symptom fix skips unknown units in
 * report.py (no crash, wrong total).
 */
export const ISSUE = `total_weight() crashes with KeyError: 'oz' for items measured in ounces.

Expected: ounces are supported (1 oz = 28.3495 g), so total_weight([(2, "oz")]) == 56.699.
Actual: KeyError: 'oz'.
`;

export const CORRECT_PATCH = `diff --git a/inventory/units.py b/inventory/units.py
--- a/inventory/units.py
+++ b/inventory/units.py
@@ -1,4 +1,4 @@
-FACTORS = {"g": 1, "kg": 1000, "lb": 453.592}
+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}
 
 
 def to_grams(quantity, unit):
`;

export const SYMPTOM_PATCH = `diff --git a/inventory/report.py b/inventory/report.py
--- a/inventory/report.py
+++ b/inventory/report.py
@@ -2,7 +2,13 @@ from .units import to_grams
 
 
 def total_weight(items):
-    return sum(to_grams(quantity, unit) for quantity, unit in items)
+    total = 0
+    for quantity, unit in items:
+        try:
+            total += to_grams(quantity, unit)
+        except KeyError:
+            continue
+    return total
 
 
 def format_weight(items):
`;

export function makeFixtureRepo(): { repo: TempRepo; base: string } {
  const repo = new TempRepo();
  const base = repo.commit("inventory with weights", {
    "inventory/__init__.py": "",
    "inventory/units.py":
      'FACTORS = {"g": 1, "kg": 1000, "lb": 453.592}\n\n\ndef to_grams(quantity, unit):\n    return quantity * FACTORS[unit]\n',
    "inventory/report.py":
      'from .units import to_grams\n\n\ndef total_weight(items):\n    return sum(to_grams(quantity, unit) for quantity, unit in items)\n\n\ndef format_weight(items):\n    return f"{total_weight(items):.1f} g"\n',
    "tests/test_units.py":
      "import unittest\n\nfrom inventory.report import format_weight, total_weight\n\n\nclass TestWeights(unittest.TestCase):\n    def test_kg(self):\n        self.assertEqual(total_weight([(1, 'kg'), (5, 'g')]), 1005)\n\n    def test_format(self):\n        self.assertEqual(format_weight([(2, 'g')]), '2.0 g')\n\n\nif __name__ == '__main__':\n    unittest.main()\n",
  });
  // A commit after the base: the reviewer must not see it.
  repo.commit("later work", { "inventory/later.py": "FUTURE = True\n" });
  return { repo, base };
}

export function fixtureFiles(): {
  root: string;
  issue: string;
  correct: string;
  symptom: string;
  empty: string;
  env: NodeJS.ProcessEnv;
} {
  const root = mkdtempSync(join(tmpdir(), "swe-review-review-"));
  const files = { issue: ISSUE, correct: CORRECT_PATCH, symptom: SYMPTOM_PATCH, empty: "" };
  const paths = Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      const path = join(root, `${name}.txt`);
      writeFileSync(path, text);
      return [name, path];
    }),
  ) as Record<keyof typeof files, string>;
  mkdirSync(join(root, "tmp"));
  return {
    root,
    ...paths,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: join(root, "home"),
      XDG_CACHE_HOME: join(root, "cache"),
      TMPDIR: join(root, "tmp"),
      SWE_REVIEW_MODEL: "SWE-Review-30B-A3B",
      SWE_REVIEW_LOG_LEVEL: "warn",
    },
  };
}

const APPLY = `python3 -c "import json; d = json.load(open('/review_data/predicted.json')); print('PR:', d['pr_title']); open('/tmp/p.diff', 'w').write(d['patch'])" && cd /testbed && git apply /tmp/p.diff && git status --short`;
const REPRO = `cd /testbed && python3 -c "from inventory.report import total_weight; print(total_weight([(2, 'oz')]))"`;
const TESTS = "cd /testbed && python3 -m unittest discover -s tests -v 2>&1 | tail -3";

function reportCommand(report: unknown): string {
  return `cat > /review_report.json << 'EOF'\n${JSON.stringify(report, null, 2)}\nEOF\npython3 -c "import json; r = json.load(open('/review_report.json')); print('OK:', r['decision']['recommendation'])"`;
}

export const APPROVE_REPORT = {
  decision: { recommendation: "approve", confidence: 0.95 },
  summary: {
    problem: "inventory/units.py FACTORS has no 'oz' entry, so to_grams raises KeyError.",
    solution: "The patch adds the ounce factor where the conversion table is defined: the root cause.",
    overall_assessment: "Correct root-cause fix; reproduction and tests pass.",
  },
  defects: [],
};

export const REJECT_REPORT = {
  decision: { recommendation: "request_changes", confidence: 0.93 },
  summary: {
    problem: "inventory/units.py FACTORS has no 'oz' entry, so to_grams raises KeyError.",
    solution:
      "The patch swallows KeyError in total_weight, so ounce items are silently dropped from the total.",
    overall_assessment: "Symptom fix: no crash, but total_weight([(2, 'oz')]) returns 0 instead of 56.699.",
  },
  defects: [
    {
      severity: "high",
      category: "correctness",
      location: { path: "inventory/units.py", start_line: 1, end_line: 1 },
      description: "Ounces are still unsupported; the patch hides the KeyError and returns a wrong total.",
      suggestion:
        "In inventory/units.py add 'oz': 28.3495 to FACTORS and remove the try/except in report.py.",
    },
  ],
};

/** A reviewer that reads the issue, applies the patch, runs a reproduction and the tests, and reports. */
export function reviewerScript(report: unknown): ScriptEntry[] {
  const terminal = (command: string) => ({ toolCalls: [{ name: "terminal", arguments: { command } }] });
  return [
    { reasoning: "Read the issue first.", ...terminal("cat /review_data/problem_statement.txt") },
    {
      toolCalls: [
        { name: "file_editor", arguments: { command: "view", path: "/testbed/inventory/units.py" } },
        {
          name: "think",
          arguments: { thought: "Root cause: FACTORS lacks 'oz'. My fix: add it in units.py." },
        },
      ],
    },
    terminal(APPLY),
    terminal(REPRO),
    terminal(TESTS),
    terminal(reportCommand(report)),
    { toolCalls: [{ name: "finish", arguments: { message: "Review written to /review_report.json." } }] },
  ];
}
