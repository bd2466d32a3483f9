import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { CORRECT_PATCH, ISSUE, makeFixtureRepo, SYMPTOM_PATCH } from "./review-fixture.js";

/**
 * A SWE-Review-Bench split folder over the fixture repository: `count` instances, alternating a root-cause fix
 * (resolved) and a symptom fix (not resolved).
 */
export function writeBenchSplit(
  root: string,
  count: number,
): { split: string; repoDir: string; labels: Record<string, boolean> } {
  const { repo, base } = makeFixtureRepo();
  const split = join(root, "fixture_split");
  mkdirSync(split, { recursive: true });
  const patches: Record<string, unknown> = {};
  const prs: Record<string, unknown> = {};
  const instances: Record<string, unknown> = {};
  const labels: Record<string, boolean> = {};
  for (let i = 1; i <= count; i++) {
    const id = `demo__inventory-${i}`;
    const good = i % 2 === 1;
    labels[id] = good;
    patches[id] = { model_patch: good ? CORRECT_PATCH : SYMPTOM_PATCH, resolved: good };
    prs[id] = { pr_title: good ? "fix: add ounces" : "fix: skip unknown units", pr_body: `candidate ${i}` };
    instances[id] = {
      instance_id: id,
      repo: "demo/inventory",
      base_commit: base,
      problem_statement: `${ISSUE}\n(instance ${i})`,
      test_patch: "",
      version: "1.0",
    };
  }
  writeFileSync(join(split, "patches_filtered.json"), JSON.stringify({ instances: patches }));
  writeFileSync(join(split, "pr_contents.json"), JSON.stringify({ instances: prs }));
  writeFileSync(join(split, "instances.json"), JSON.stringify({ instances }));
  return { split, repoDir: repo.dir, labels };
}

/**
 * A reviewer that reads the patch, approves a change to units.py and rejects anything else, writing its report
 * with a heredoc; answers from the conversation, so calls may come in any order.
 */
export function benchReviewer(body: Record<string, unknown>): ScriptEntry {
  const messages = body.messages as Array<{ role: string; content?: string }>;
  const last = messages.at(-1)?.content ?? "";
  const terminal = (command: string): ScriptEntry => ({
    toolCalls: [{ name: "terminal", arguments: { command } }],
  });
  if (messages.length <= 2) {
    return terminal(
      `python3 -c "import json; print(json.load(open('/review_data/predicted.json'))['patch'])"`,
    );
  }
  if (last.includes("diff --git")) {
    const approve = last.includes("units.py");
    const report = {
      decision: { recommendation: approve ? "approve" : "request_changes", confidence: approve ? 0.9 : 0.8 },
      summary: {
        problem: "FACTORS lacks oz",
        solution: approve ? "adds oz" : "hides the KeyError",
        overall_assessment: "",
      },
      defects: approve
        ? []
        : [
            {
              severity: "high",
              category: "correctness",
              location: { path: "inventory/units.py", start_line: 1, end_line: 1 },
              description: "symptom fix",
              suggestion: "add oz",
            },
          ],
    };
    return terminal(`cat > /review_report.json << 'EOF'\n${JSON.stringify(report)}\nEOF\necho written`);
  }
  return { toolCalls: [{ name: "finish", arguments: { message: "done" } }] };
}

/** A single-turn reviewer: approves a patch to units.py, rejects anything else; counts calls per instance. */
export function singleTurnReviewer(calls: Map<string, number>) {
  return (body: Record<string, unknown>): ScriptEntry => {
    const messages = body.messages as Array<{ role: string; content?: string }>;
    const task = messages[1]?.content ?? "";
    const instance = /\(instance (\d+)\)/.exec(task)?.[1] ?? "?";
    calls.set(instance, (calls.get(instance) ?? 0) + 1);
    const approve = /diff --git a\/inventory\/units\.py/.test(task);
    return {
      content: JSON.stringify({
        decision: { recommendation: approve ? "approve" : "request_changes", confidence: 0.9 },
        summary: { problem: "p", solution: "s", overall_assessment: "o" },
        defects: [],
      }),
    };
  };
}
