import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { InstanceResult, RevisionResult, RunManifest } from "../../src/bench/records.js";

/**
 * Run directories for scoring tests, written as the runner writes them (the layout in src/bench/records.ts):
 * run.json, instances/<key>/result.json, report.json, trajectory.jsonl, revision.json.
 */

const usage = (tokens: number, cost_usd = 0) => ({
  prompt_tokens: Math.round(tokens * 0.9),
  completion_tokens: tokens - Math.round(tokens * 0.9),
  cached_tokens: 0,
  cost_usd,
});

export function manifest(overrides: Partial<RunManifest> = {}): RunManifest {
  return {
    version: 1,
    run_id: "run-test",
    kind: "review",
    created_at: "2026-01-01T00:00:00.000Z",
    versions: { swe_review: "0.1.0", node: "v20.0.0" },
    dataset: { path: "dataset", fingerprint: "sha256:0", items: 0 },
    settings: {},
    ...overrides,
  };
}

/** A result record; `review` takes the decision, confidence and defects of a review. */
export function result(
  candidateId: string,
  label: boolean | null,
  overrides: Partial<InstanceResult> = {},
  tokens = 100_000,
): InstanceResult {
  return {
    version: 1,
    key: candidateId,
    instance_id: candidateId.split("@")[0] ?? candidateId,
    candidate_id: candidateId,
    status: "done",
    label,
    usage: usage(tokens, tokens / 1e6),
    steps: 20,
    seconds: 60,
    attempts: 1,
    finished_at: "2026-01-01T01:00:00.000Z",
    ...overrides,
  };
}

export function review(
  decision: "approve" | "request_changes" | null,
  confidence: number | null,
  defects: { path: string; start_line: number; end_line: number }[] = [],
): NonNullable<InstanceResult["review"]> {
  return {
    mode: "agentic",
    decision,
    confidence,
    source: decision ? "report_file" : null,
    ...(decision ? {} : { reason: "no report", agent_status: "max_steps" }),
    defects: defects.map((defect) => ({ severity: "high", category: "correctness", ...defect })),
  };
}

export function revision(resolved: boolean | null): RevisionResult {
  return {
    version: 1,
    resolved,
    applied: true,
    patch_bytes: 120,
    generator_status: "finished",
    usage: usage(50_000),
    seconds: 30,
  };
}

/** Writes the run directory; items with `trajectory` get a review folder. */
export function writeRunDir(
  dir: string,
  run: RunManifest | undefined,
  items: { result: InstanceResult; revision?: RevisionResult; trajectory?: boolean }[],
): string {
  mkdirSync(join(dir, "instances"), { recursive: true });
  if (run) writeFileSync(join(dir, "run.json"), JSON.stringify(run, null, 2));
  for (const item of items) {
    const itemDir = join(dir, "instances", item.result.key);
    mkdirSync(itemDir, { recursive: true });
    if (item.trajectory) {
      writeFileSync(join(itemDir, "trajectory.jsonl"), '{"type":"header"}\n');
      writeFileSync(join(itemDir, "report.json"), JSON.stringify({ decision: item.result.review?.decision }));
    }
    if (item.revision) writeFileSync(join(itemDir, "revision.json"), JSON.stringify(item.revision));
    writeFileSync(join(itemDir, "result.json"), JSON.stringify(item.result, null, 2));
  }
  return dir;
}
