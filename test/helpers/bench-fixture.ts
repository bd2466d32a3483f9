import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sweBenchRow } from "./data-fixtures.js";
import { diffOf } from "./patches.js";
import { manifest, result, review, revision, writeRunDir } from "./run-dir.js";

/**
 * A SWE-Review-Bench split (glm5_500, eight candidates), SWE-bench instances with gold patches, and a review run
 * over the split by "GLM-5". Hand-counted with our conventions (every item counted):
 *
 * | item | resolves | review                        | revision   | outcome                   |
 * |------|----------|-------------------------------|------------|---------------------------|
 * | c1   | yes      | approve 0.95                  |            | TP                        |
 * | c2   | no       | approve 0.90                  |            | FP                        |
 * | c3   | no       | request_changes 0.97, gold    | resolved   | TN                        |
 * | c4   | yes      | request_changes 0.60, other   | resolved   | FN                        |
 * | c5   | no       | no verdict (max_steps)        |            | model failure             |
 * | c6   | yes      | infrastructure failure        |            | model failure (infra)     |
 * | c7   | no       | never reviewed                |            | model failure (missing)   |
 * | c8   | no       | request_changes 0.85          | none       | TN, falls back            |
 *
 * DA 3/5 = 60.0, DA_total_50 4.5/8 = 56.25 → 56.2 (half-even), CR 5/8 = 62.5, FAR 1/3 = 33.3, FRR 1/2 = 50.0;
 * RRR (c1, c3, c4, c6) 4/8 = 50.0, baseline (c1, c4, c6) 3/8 = 37.5, delta 12.5.
 * Released denominators (c7 dropped): DA_total_50 4/7 = 57.1, CR 5/7 = 71.4, RRR 4/7 = 57.1, delta 19.6.
 */
export const BENCH_LABELS: Record<string, boolean> = {
  c1: true,
  c2: false,
  c3: false,
  c4: true,
  c5: false,
  c6: true,
  c7: false,
  c8: false,
};

const instanceId = (name: string) => `repo__${name}`;

export function writeBenchFixture(root: string): { split: string; instances: string; runDir: string } {
  const split = join(root, "glm5_500");
  mkdirSync(split, { recursive: true });
  const patches = Object.fromEntries(
    Object.entries(BENCH_LABELS).map(([name, resolved]) => [
      instanceId(name),
      { model_patch: diffOf(name === "c3" ? ["pkg/other.py"] : ["pkg/mod.py"]), resolved },
    ]),
  );
  writeFileSync(join(split, "patches_filtered.json"), JSON.stringify({ instances: patches }, null, 2));
  const instances = join(root, "instances.jsonl");
  writeFileSync(
    instances,
    Object.keys(BENCH_LABELS)
      .map((name, index) =>
        JSON.stringify({
          ...sweBenchRow,
          instance_id: instanceId(name),
          patch: diffOf(["pkg/mod.py"], 20),
          FAIL_TO_PASS: JSON.stringify(Array.from({ length: index + 1 }, (_, test) => `test_${test}`)),
        }),
      )
      .join("\n"),
  );
  const id = (name: string) => `${instanceId(name)}@glm5_500`;
  const label = (name: string) => BENCH_LABELS[name] ?? null;
  const runDir = writeRunDir(
    join(root, "run"),
    manifest({ settings: { reviewer: { model: "GLM-5" }, mode: "agentic" } }),
    [
      {
        result: result(id("c1"), label("c1"), { review: review("approve", 0.95) }, 80_000),
        trajectory: true,
      },
      {
        result: result(id("c2"), label("c2"), { review: review("approve", 0.9) }, 120_000),
        trajectory: true,
      },
      {
        result: result(id("c3"), label("c3"), {
          review: review("request_changes", 0.97, [
            { path: "/testbed/pkg/mod.py", start_line: 21, end_line: 22 },
          ]),
        }),
        revision: revision(true),
        trajectory: true,
      },
      {
        result: result(id("c4"), label("c4"), {
          review: review("request_changes", 0.6, [{ path: "pkg/other.py", start_line: 1, end_line: 3 }]),
        }),
        revision: revision(true),
        trajectory: true,
      },
      { result: result(id("c5"), label("c5"), { review: review(null, null) }, 400_000), trajectory: true },
      {
        result: result(id("c6"), label("c6"), {
          status: "failed",
          error: { code: "sandbox_failed", message: "bwrap: cannot create namespace" },
        }),
      },
      {
        result: result(id("c8"), label("c8"), { review: review("request_changes", 0.85) }),
        trajectory: true,
      },
    ],
  );
  return { split, instances, runDir };
}
