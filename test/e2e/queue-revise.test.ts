import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { CLI, runCli } from "../helpers/cli.js";
import { NO_DEBIAN_PYTEST } from "../helpers/harness-fixtures.js";
import { GENERATOR, INSTANCE_ID, writeInventoryDataset } from "../helpers/loop-fixture.js";
import {
  APPROVE_REPORT,
  CORRECT_PATCH,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
  SYMPTOM_PATCH,
} from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipReasons, skipTitle } from "../helpers/skip.js";
import { NO_TEST_REDIS } from "../helpers/test-redis.js";

// A real Redis (SWE_REVIEW_TEST_REDIS; .ci/run starts one); its own database, apart from queue.test.ts's.
const REDIS = process.env.SWE_REVIEW_TEST_REDIS;
const QUEUE = REDIS?.replace(/\/\d*$/, "/12");

const servers: MockOpenAIServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const server of servers.splice(0)) await server.close();
});

async function mock(script: ScriptEntry[]) {
  const server = await startMockServer({ script });
  servers.push(server);
  return server;
}

const lastLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");

const missing = skipReasons(NO_TEST_REDIS, NO_BWRAP, NO_DEBIAN_PYTEST);
describe.skipIf(missing)(skipTitle("bench revise on a Redis queue", missing), () => {
  it("revises a review run's rejections on a worker, verifies them, and scores RRR as the in-process run does", async () => {
    const redis = new Redis(QUEUE as string);
    await redis.flushdb();
    await redis.quit();
    const queue = QUEUE as string;
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const { dataset, config } = writeInventoryDataset(files.root, base);
    const candidates = join(files.root, "candidates.jsonl");
    writeFileSync(
      candidates,
      [
        { candidate_id: "symptom", instance_id: INSTANCE_ID, model_patch: SYMPTOM_PATCH, resolved: false },
        { candidate_id: "root-cause", instance_id: INSTANCE_ID, model_patch: CORRECT_PATCH, resolved: true },
        { candidate_id: "empty", instance_id: INSTANCE_ID, model_patch: "", resolved: false },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    const cli = (args: string[]) =>
      runCli([...args, "--config", config], { env: files.env, timeoutMs: 180_000 });
    const runDir = join(files.root, "review-run");
    const reviewer = await mock([...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)]);
    const review = await cli([
      "bench",
      "review",
      "--dataset",
      dataset,
      "--candidates",
      candidates,
      "--reviewer-base-url",
      reviewer.baseUrl,
      "--repo",
      `demo/inventory=${repo.dir}`,
      "--run-dir",
      runDir,
    ]);
    expect(review.code, review.stderr).toBe(0);

    // Queued: the symptom fix and the empty patch were rejected; a second submission adds nothing.
    const generator = await mock([
      ...GENERATOR.slice(4),
      { toolCalls: [{ name: "finish", arguments: { message: "Nothing to do." } }] },
    ]);
    const revise = ["bench", "revise", "--run-dir", runDir, "--generator-base-url", generator.baseUrl];
    const submitted = await cli([...revise, "--queue", queue, "--no-wait"]);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(JSON.parse(submitted.stdout)).toMatchObject({ added: 2, done: 0, pending: 0 });
    expect(JSON.parse(readFileSync(join(runDir, "revise.json"), "utf8"))).toMatchObject({
      generator: { base_url: generator.baseUrl },
    });
    const again = await cli([...revise, "--queue", queue, "--no-wait"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, pending: 2 });
    expect(generator.chatBodies).toHaveLength(0); // nothing runs in the submitting process

    // A worker does them (with the test configuration: it verifies each revision); the submitter follows.
    const worker = spawn(
      process.execPath,
      [CLI, "worker", "--queue", queue, "--exit-when-idle", "--config", config],
      { env: files.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(worker);
    let workerOut = "";
    worker.stdout?.on("data", (chunk) => {
      workerOut += chunk;
    });
    worker.stderr?.on("data", (chunk) => {
      workerOut += chunk;
    });
    const workerClosed = new Promise((resolve) => worker.once("close", resolve));
    const followed = await cli([...revise, "--queue", queue]);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toMatch(/\[revise\] \d\/2 · symptom: revision resolves it/);
    expect(followed.stderr).toMatch(/\[revise\] \d\/2 · empty: revision does not resolve it/);
    // RRR: root-cause approved and resolving, symptom revised into a fix, the empty one still unresolved: 2/3
    expect(lastLine(followed.stdout)).toMatchObject({
      rejected: 2,
      revised: 2,
      resolved: 1,
      failed: 0,
      unverified: 0,
      RRR: 66.7,
      baseline_RR: 33.3,
    });
    expect(await workerClosed).toBe(0);
    expect(workerOut).toMatch(/\[worker\] symptom \(revise\): revision resolves it/);
    expect(JSON.parse(workerOut.match(/^\{"processed".*$/m)?.[0] ?? "{}")).toEqual({
      processed: 2,
      failed: 0,
    });
    expect(
      readFileSync(join(runDir, "instances", "symptom", "revision", "candidate.patch"), "utf8"),
    ).toContain('"oz": 28.3495');

    // Done: a re-submission queues nothing and reports the same score.
    const rerun = await cli([...revise, "--queue", queue]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(lastLine(rerun.stdout)).toMatchObject({ rejected: 2, skipped: 2, revised: 0, RRR: 66.7 });
    // Other settings would make the run's revisions incomparable: refused, naming the file to delete to start over.
    const other = await cli([...revise, "--max-steps", "3", "--queue", queue]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/revised with other settings .*maxSteps.*revise\.json/s);
  });

  it("says what is wrong with a key on the command line, and with a folder that holds no run", async () => {
    const files = fixtureFiles();
    const revise = ["bench", "revise", "--run-dir", files.root, "--queue", QUEUE as string];
    const keyed = await runCli([...revise, "--generator-api-key", "k-secret-123"], { env: files.env });
    expect(keyed.code).toBe(3);
    expect(keyed.stderr).toMatch(/--generator-api-key: .*SWE_REVIEW_GENERATOR_API_KEY/);
    expect(keyed.stderr).not.toContain("k-secret-123");
    const empty = await runCli(revise, { env: files.env });
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain(files.root);
  });
});
