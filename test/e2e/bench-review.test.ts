import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import { benchReviewer, writeBenchSplit } from "../helpers/bench-split.js";
import { CLI, runCli } from "../helpers/cli.js";
import { fixtureFiles } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

function results(
  runDir: string,
): Record<string, { decision: string | null; label: boolean; finished_at: string }> {
  const folder = join(runDir, "instances");
  if (!existsSync(folder)) return {};
  const out: Record<string, { decision: string | null; label: boolean; finished_at: string }> = {};
  for (const key of readdirSync(folder)) {
    const path = join(folder, key, "result.json");
    if (!existsSync(path)) continue;
    const result = JSON.parse(readFileSync(path, "utf8"));
    out[result.instance_id] = {
      decision: result.review?.decision ?? null,
      label: result.label,
      finished_at: result.finished_at,
    };
  }
  return out;
}

const decisions = (r: ReturnType<typeof results>) =>
  Object.fromEntries(Object.entries(r).map(([key, value]) => [key, [value.decision, value.label]]));

// The scripted reviewer uses the sandbox's paths; CI installs bubblewrap.
describe.skipIf(NO_BWRAP)(skipTitle("swe-review bench review", NO_BWRAP), () => {
  it("reviews every candidate, survives a kill, and resumes to the same results without redoing finished items", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-bench-"));
    const { split, repoDir, labels } = writeBenchSplit(root, 6);
    server = await startMockServer({
      respond: async (body) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return benchReviewer(body);
      },
    });
    const env = { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl };
    const args = (runDir: string) => [
      "bench",
      "review",
      "--dataset",
      split,
      "--repo",
      `demo/inventory=${repoDir}`,
      "-j",
      "2",
      "--run-dir",
      runDir,
    ];

    // uninterrupted
    const whole = join(root, "whole");
    const first = await runCli(args(whole), { env, timeoutMs: 180_000 });
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      items: 6,
      done: 6,
      failed: 0,
      decisions: { approve: 3, request_changes: 3, none: 0 },
    });
    const reference = results(whole);
    expect(Object.values(reference).every((r) => (r.decision === "approve") === r.label)).toBe(true);
    expect(Object.keys(reference).sort()).toEqual(Object.keys(labels).sort());
    expect(
      readFileSync(join(whole, "instances", "demo__inventory-2@fixture_split", "trajectory.jsonl"), "utf8"),
    ).toContain("hides the KeyError");

    // the run directory is training data as it stands: every review here is decision-correct
    const exported = await runCli(["traj", "export", whole, "--out", join(root, "sft")], {
      env,
      timeoutMs: 120_000,
    });
    expect(exported.stderr).not.toMatch(/error:/);
    expect(exported.code).toBe(0);
    const stats = JSON.parse(
      readFileSync(
        join(root, "sft", readdirSync(join(root, "sft")).find((f) => f.endsWith(".stats.json")) ?? ""),
        "utf8",
      ),
    );
    expect(stats).toMatchObject({
      inputs: 6,
      kept: 6,
      confusion: { approve_resolved: 3, request_changes_unresolved: 3 },
    });

    // killed after two items, then resumed
    const resumed = join(root, "resumed");
    const child = spawn(process.execPath, [CLI, ...args(resumed)], { env, stdio: "ignore" });
    for (let waited = 0; Object.keys(results(resumed)).length < 2 && waited < 120_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const beforeResume = results(resumed);
    expect(Object.keys(beforeResume).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(beforeResume).length).toBeLessThan(6);
    const second = await runCli(args(resumed), { env, timeoutMs: 180_000 });
    expect(second.code).toBe(0);
    const after = results(resumed);
    expect(decisions(after)).toEqual(decisions(reference));
    // The scores are the same; only when and where it ran, and how long reviews took, differ.
    const figures = (dir: string) =>
      JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"), (key, value) =>
        ["scored_at", "source", "mean_seconds"].includes(key) ? undefined : value,
      );
    expect(figures(resumed)).toEqual(figures(whole));
    expect(figures(whole)).toMatchObject({
      total: 6,
      produced: 6,
      TP: 3,
      TN: 3,
      FP: 0,
      FN: 0,
      DA: 100,
      CR: 100,
    });
    expect(existsSync(join(whole, "report.html"))).toBe(true);
    for (const [key, value] of Object.entries(beforeResume))
      expect(after[key]?.finished_at).toBe(value.finished_at);
    expect(second.stderr.match(/^\[bench\] /gm)?.length).toBe(6 - Object.keys(beforeResume).length);
  });

  it("stops on Ctrl-C with what finished kept and nothing half-written, and a re-run does only the rest", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-bench-"));
    const { split, repoDir } = writeBenchSplit(root, 6);
    server = await startMockServer({
      respond: async (body) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return benchReviewer(body);
      },
    });
    const env = { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl };
    const runDir = join(root, "run");
    const args = ["bench", "review", "--dataset", split, "--repo", `demo/inventory=${repoDir}`, "-j", "2"];
    const child = spawn(process.execPath, [CLI, ...args, "--run-dir", runDir], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout?.resume();
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    for (let waited = 0; Object.keys(results(runDir)).length < 1 && waited < 120_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGINT");
    expect(await closed, stderr).toBe(130);
    expect(stderr).toContain("stopping: finishing nothing new");
    const kept = results(runDir);
    expect(Object.keys(kept).length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(kept).length).toBeLessThan(6);
    // The reviews in flight were abandoned: no result for them, and their workspaces are gone.
    const workspaces = join(files.root, "tmp", "swe-review-workspaces");
    expect(readdirSync(workspaces)).toEqual([]); // (the folder the run made them in)

    const rest = await runCli([...args, "--run-dir", runDir], { env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(Object.keys(results(runDir))).toHaveLength(6);
    expect(rest.stderr.match(/^\[bench\] /gm)?.length).toBe(6 - Object.keys(kept).length);
    for (const [key, value] of Object.entries(kept))
      expect(results(runDir)[key]?.finished_at).toBe(value.finished_at);
  });

  it("refuses a run directory made for another dataset, and unknown instances", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-bench-"));
    const a = writeBenchSplit(join(root, "a"), 2);
    const b = writeBenchSplit(join(root, "b"), 3);
    server = await startMockServer({ respond: benchReviewer });
    const env = { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl };
    const runDir = join(root, "run");
    const ok = await runCli(
      ["bench", "review", "--dataset", a.split, "--repo", `demo/inventory=${a.repoDir}`, "--run-dir", runDir],
      { env, timeoutMs: 120_000 },
    );
    expect(ok.code).toBe(0);
    const other = await runCli(
      ["bench", "review", "--dataset", b.split, "--repo", `demo/inventory=${b.repoDir}`, "--run-dir", runDir],
      { env },
    );
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/was made for a different dataset/);
    const unknown = await runCli(
      ["bench", "review", "--dataset", a.split, "--instances", "nope-1", "--run-dir", join(root, "x")],
      { env },
    );
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/--instances: nope-1 not in/);
  });
});
