import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import { singleTurnReviewer, writeBenchSplit } from "../helpers/bench-split.js";
import { CLI, runCli } from "../helpers/cli.js";
import { fixtureFiles } from "../helpers/review-fixture.js";
import { skipTitle } from "../helpers/skip.js";
import { NO_TEST_REDIS } from "../helpers/test-redis.js";
import { waitUntil } from "../helpers/wait.js";

/** A Redis for these tests: .ci/run starts one and sets this; without it there is no queue to test. */
const REDIS = process.env.SWE_REVIEW_TEST_REDIS;

let server: MockOpenAIServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await server?.close();
});

function decisions(runDir: string): Record<string, string | null> {
  const folder = join(runDir, "instances");
  const out: Record<string, string | null> = {};
  for (const key of existsSync(folder) ? readdirSync(folder) : []) {
    const path = join(folder, key, "result.json");
    if (!existsSync(path)) continue;
    const result = JSON.parse(readFileSync(path, "utf8"));
    out[result.instance_id] =
      result.status === "done" ? (result.review?.decision ?? null) : `failed: ${result.error?.code}`;
  }
  return out;
}

/** `bench review` of a fixture split, single-turn (one model call per review), into `runDir`. */
function singleTurnBench(split: string, repoDir: string, runDir: string, extra: string[] = []): string[] {
  return [
    "bench",
    "review",
    "--dataset",
    split,
    "--repo",
    `demo/inventory=${repoDir}`,
    "--mode",
    "single-turn-diff",
    "--run-dir",
    runDir,
    ...extra,
  ];
}

function worker(
  env: NodeJS.ProcessEnv,
  queue: string,
  args: string[] = [],
): { child: ChildProcess; exited: Promise<number | null>; stdout: () => string } {
  const child = spawn(process.execPath, [CLI, "worker", "--queue", queue, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.resume(); // its progress lines are not asserted on; drained so the worker never blocks on them
  // "close", not "exit": the worker's pipes may still hold its last lines when it has exited.
  return { child, exited: new Promise((resolve) => child.once("close", resolve)), stdout: () => stdout };
}

describe.skipIf(NO_TEST_REDIS)(skipTitle("benchmark runs on a Redis queue", NO_TEST_REDIS), () => {
  let queue = "";
  let db = 1;
  beforeEach(async () => {
    queue = `${REDIS?.replace(/\/\d*$/, "")}/${db}`;
    db++;
    const redis = new Redis(queue);
    await redis.flushdb();
    await redis.quit();
  });

  it("shares 50 reviews between two workers, each done exactly once, as the in-process run does", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-queue-"));
    const { split, repoDir } = writeBenchSplit(root, 50);
    const calls = new Map<string, number>();
    const respond = singleTurnReviewer(calls);
    server = await startMockServer({
      respond: async (body) => {
        const answer = respond(body);
        // No answer until five reviews are open: one worker at -j 4 holds at most four, so both take part.
        await waitUntil(() => calls.size >= 5, "both workers to take reviews");
        await new Promise((resolve) => setTimeout(resolve, 100));
        return answer;
      },
    });
    const env = { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl };
    const bench = (runDir: string, extra: string[]) => singleTurnBench(split, repoDir, runDir, extra);
    const queued = join(root, "queued");
    const submit = await runCli(bench(queued, ["--queue", queue, "--no-wait"]), { env });
    expect(submit.stderr).not.toMatch(/error:/);
    expect(JSON.parse(submit.stdout)).toMatchObject({ added: 50, done: 0 });
    const again = await runCli(bench(queued, ["--queue", queue, "--no-wait"]), { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, pending: 50 });

    const a = worker(env, queue, ["-j", "4", "--exit-when-idle"]);
    const b = worker(env, queue, ["-j", "4", "--exit-when-idle"]);
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const processed = [a, b].map((w) => JSON.parse(w.stdout().trim().split("\n").at(-1) ?? "{}").processed);
    expect(processed[0] + processed[1]).toBe(50);
    expect(processed.every((count) => count > 0)).toBe(true);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
    expect(calls.size).toBe(50);

    const local = join(root, "local");
    const inProcess = await runCli(bench(local, ["-j", "4"]), { env, timeoutMs: 120_000 });
    expect(inProcess.code).toBe(0);
    expect(decisions(queued)).toEqual(decisions(local));
    expect(Object.values(decisions(queued)).filter((d) => d === "approve")).toHaveLength(25);
    // The queued run's account and scores read the same as the in-process run's.
    const followed = await runCli(bench(queued, ["--queue", queue]), { env });
    expect(followed.code, followed.stderr).toBe(0);
    const account = (stdout: string) => {
      const {
        run_dir: _dir,
        summary: _summary,
        report: _report,
        ...rest
      } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
      return rest;
    };
    expect(account(followed.stdout)).toEqual(account(inProcess.stdout));
    expect(account(followed.stdout)).toMatchObject({ items: 50, done: 50, failed: 0 });
    // Every figure but where, when and how long (the wall time of a review differs from run to run).
    const scores = (dir: string) =>
      JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"), (key, value) =>
        /seconds|_at$|^run_id$|^path$/.test(key) ? undefined : value,
      );
    expect(scores(queued)).toEqual(scores(local));
  });

  it("hands a killed worker's review to another worker, with no duplicate or half-written result", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-queue-"));
    const { split, repoDir } = writeBenchSplit(root, 6);
    const calls = new Map<string, number>();
    const respond = singleTurnReviewer(calls);
    server = await startMockServer({
      respond: async (body) => {
        const answer = respond(body); // counted on arrival, answered later
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return answer;
      },
    });
    const env = { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl };
    const runDir = join(root, "run");
    const args = singleTurnBench(split, repoDir, runDir, ["--queue", queue]);
    await runCli([...args, "--no-wait"], { env });

    const doomed = worker(env, queue, ["-j", "2", "--lock-seconds", "6"]);
    for (let waited = 0; calls.size < 2 && waited < 30_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    // Reviews the killed worker had started but not finished: the other worker must redo them, once.
    const finished = new Set(Object.keys(decisions(runDir)).map((id) => id.replace("demo__inventory-", "")));
    const inFlight = [...calls.keys()].filter((id) => !finished.has(id));
    expect(inFlight.length).toBeGreaterThan(0);

    const survivor = worker(env, queue, ["-j", "2", "--lock-seconds", "6", "--exit-when-idle"]);
    const followed = await runCli(args, { env, timeoutMs: 120_000 });
    expect(followed.code).toBe(0);
    expect(JSON.parse(followed.stdout)).toMatchObject({ done: 6, failed: 0 });
    await survivor.exited;
    const results = decisions(runDir);
    expect(Object.keys(results)).toHaveLength(6);
    for (const instance of inFlight) expect(calls.get(instance)).toBe(2); // started by the killed worker, redone once
    expect(
      [...calls.entries()].filter(([id]) => !inFlight.includes(id)).every(([, count]) => count === 1),
    ).toBe(true);
  });

  it("keeps failed jobs in a dead-letter list with their reason, and retries them on request", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-queue-"));
    const { split, repoDir } = writeBenchSplit(root, 2);
    // Nothing listens on port 9: the model is unreachable. No client-side retries, so the queue's are what count.
    const config = join(root, "config.yaml");
    writeFileSync(config, "model:\n  maxRetries: 0\n");
    const env = { ...files.env, SWE_REVIEW_BASE_URL: "http://127.0.0.1:9/v1" };
    const runDir = join(root, "run");
    const submit = await runCli(
      [
        "--config",
        config,
        ...singleTurnBench(split, repoDir, runDir, [
          "--queue",
          queue,
          "--no-wait",
          "--attempts",
          "2",
          "--retry-delay",
          "0.2",
        ]),
      ],
      { env },
    );
    expect(submit.code).toBe(0);
    const w = worker({ ...env, SWE_REVIEW_LOG_LEVEL: "silent" }, queue, [
      "--exit-when-idle",
      "--config",
      config,
    ]);
    await w.exited;
    const status = JSON.parse((await runCli(["queue", "status", "--queue", queue], { env })).stdout);
    expect(status.counts.failed).toBe(2);
    expect(status.failed[0]).toMatchObject({
      attempts: 2,
      reason: expect.stringMatching(/^model_unreachable: Cannot reach/),
    });
    expect(Object.values(decisions(runDir))).toEqual([
      "failed: model_unreachable",
      "failed: model_unreachable",
    ]);
    const retried = JSON.parse((await runCli(["queue", "retry-failed", "--queue", queue], { env })).stdout);
    expect(retried).toEqual({ retried: 2 });
    const after = JSON.parse((await runCli(["queue", "status", "--queue", queue], { env })).stdout);
    expect(after.counts.failed).toBe(0);
    expect(after.counts.waiting + after.counts.delayed + after.counts.prioritized).toBe(2);
    await runCli(["queue", "drain", "--queue", queue], { env });
    expect(
      JSON.parse((await runCli(["queue", "status", "--queue", queue], { env })).stdout).counts.waiting,
    ).toBe(0);
  });
});
