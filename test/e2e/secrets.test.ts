import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { singleTurnReviewer, writeBenchSplit } from "../helpers/bench-split.js";
import { CLI, type CliResult, runCli, runProcess } from "../helpers/cli.js";
import { fixtureFiles, makeFixtureRepo } from "../helpers/review-fixture.js";
import { skipTitle } from "../helpers/skip.js";
import { NO_TEST_REDIS } from "../helpers/test-redis.js";

/**
 * Secrets planted everywhere a user can put them (flag, environment, config file, inside the base URL as userinfo
 * and as a query parameter, a role's own key), a server that echoes them back, then every output of real CLI runs
 * searched for them: stdout, stderr (the logs, at debug level), and every file the run wrote.
 */
const KEY = "sk-live-e2e-planted-key-4f3a9c";
const PASSWORD = "sk-urlpass-e2e-planted-7b21";
const QUERY_KEY = "sk-query-e2e-planted-93ce";
const REVIEWER_KEY = "sk-reviewer-e2e-planted-5d08";
const SECRETS = [KEY, PASSWORD, QUERY_KEY, REVIEWER_KEY];

let server: MockOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The base URL of `server` with a password and an API key in it (and a harmless parameter that stays). */
function credentialed(baseUrl: string, password = PASSWORD): string {
  const url = new URL(baseUrl);
  return `http://swe:${password}@${url.host}${url.pathname}?api-key=${QUERY_KEY}&api-version=2024-10-01`;
}

const basic = (password = PASSWORD) => `Basic ${Buffer.from(`swe:${password}`).toString("base64")}`;

/** A server's error that quotes the key it was sent (and `more` it was given), as some gateways do. */
function echoing(status: number, more = [PASSWORD, QUERY_KEY]): ScriptEntry {
  return {
    fault: "http",
    status,
    body: {
      error: {
        message: `Incorrect API key provided: ${KEY}${more.length > 0 ? ` (${more.join(", ")})` : ""}.`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    },
  };
}

/** Every file under `dir`, by path, with its text. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path));
    else out[path] = readFileSync(path, "utf8");
  }
  return out;
}

/** Asserts no secret appears in the run's stdout, stderr, or any file under `dirs`; returns what was searched. */
function expectNoSecret(result: CliResult, ...dirs: string[]): Record<string, string> {
  const outputs: Record<string, string> = {
    stdout: result.stdout,
    stderr: result.stderr,
    ...Object.assign({}, ...dirs.map(filesUnder)),
  };
  for (const [where, text] of Object.entries(outputs)) {
    for (const secret of SECRETS) expect(text, `${secret} in ${where}`).not.toContain(secret);
  }
  return outputs;
}

function reviewArgs(files: ReturnType<typeof fixtureFiles>, repo: string, base: string, out: string) {
  return [
    "review",
    "--repo",
    repo,
    "--issue",
    files.issue,
    "--patch",
    files.symptom,
    "--base",
    base,
    "--out",
    out,
  ];
}

describe("secrets never reach an output", () => {
  it("review: a 401 echoing the key, from each place a key is configured, at a plain and a credentialed URL", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    server = await startMockServer({ respond: () => echoing(401) });
    const url = credentialed(server.baseUrl);
    // A plain URL: the server echoes only the key (the issue's reproduction).
    const plain = await startMockServer({ respond: () => echoing(401, []) });
    const config = join(files.root, "config.yaml");
    writeFileSync(config, `model:\n  apiKey: ${KEY}\n  maxRetries: 0\n`);
    const sources: Record<string, { args: string[]; env: NodeJS.ProcessEnv; shown: string }> = {
      "flag, plain URL": {
        args: ["--api-key", KEY, "--base-url", plain.baseUrl],
        env: {},
        shown: plain.baseUrl,
      },
      flag: { args: ["--api-key", KEY, "--base-url", url], env: {}, shown: "http://[REDACTED]@" },
      environment: {
        args: [],
        env: { SWE_REVIEW_API_KEY: KEY, SWE_REVIEW_BASE_URL: url },
        shown: "http://[REDACTED]@",
      },
      "config file": { args: ["--config", config, "--base-url", url], env: {}, shown: "http://[REDACTED]@" },
    };
    try {
      for (const [source, { args, env, shown }] of Object.entries(sources)) {
        const out = join(files.root, `out-${source.replace(/\W+/g, "-")}`);
        const result = await runCli(
          ["--log-level", "debug", ...args, ...reviewArgs(files, repo.dir, base, out), "--sandbox", "local"],
          { env: { ...files.env, ...env }, timeoutMs: 120_000 },
        );
        expect(result.code, `${source}: ${result.stderr}`).toBe(2);
        const outputs = expectNoSecret(result, out);
        // The user still learns what happened, and where.
        expect(result.stdout).toContain("refused the API key (401: Incorrect API key provided: [REDACTED]");
        expect(result.stdout).toContain(shown);
        expect(JSON.parse(outputs[join(out, "report.json")] ?? "{}")).toMatchObject({
          decision: null,
          status: "model_error",
        });
        expect(outputs[join(out, "trajectory.jsonl")]).toContain(`"baseUrl":"${shown}`);
        expect(result.stderr).toContain(`model call failed: ${shown}`);
      }
      // The key really was sent (from the URL's userinfo as Basic authorization, where it has one).
      expect(plain.requests.every((request) => request.headers.authorization === `Bearer ${KEY}`)).toBe(true);
      expect(server.requests.length).toBeGreaterThan(0);
      expect(server.requests.every((request) => request.headers.authorization === basic())).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it("review: a verdict through a credentialed URL, which reaches the server with its credentials", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const report = {
      decision: { recommendation: "request_changes", confidence: 0.9 },
      summary: { problem: "p", solution: "s", overall_assessment: "o" },
      defects: [],
    };
    server = await startMockServer({ script: [{ content: JSON.stringify(report) }] });
    const out = join(files.root, "out");
    const result = await runCli(
      [
        "--log-level",
        "debug",
        "--base-url",
        credentialed(server.baseUrl),
        ...reviewArgs(files, repo.dir, base, out),
        "--mode",
        "single-turn-diff",
        "--format",
        "json",
      ],
      { env: { ...files.env, SWE_REVIEW_API_KEY: KEY }, timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: "request_changes" });
    expectNoSecret(result, out);
    const [sent] = server.requests;
    expect(sent?.url).toBe(`/v1/chat/completions?api-key=${QUERY_KEY}&api-version=2024-10-01`);
    expect(sent?.headers.authorization).toBe(basic());
  });

  it("review: a server that cannot be reached at a credentialed URL is named without its credentials", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    server = await startMockServer();
    const url = credentialed(server.baseUrl);
    await server.close();
    const config = join(files.root, "config.yaml");
    writeFileSync(config, "model:\n  maxRetries: 0\n");
    const out = join(files.root, "out");
    const result = await runCli(
      [
        "--config",
        config,
        "--base-url",
        url,
        ...reviewArgs(files, repo.dir, base, out),
        "--mode",
        "single-turn-diff",
      ],
      { env: { ...files.env, SWE_REVIEW_API_KEY: KEY }, timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(2);
    expectNoSecret(result, out);
    expect(result.stdout).toMatch(
      /Cannot reach http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/v1\?api-key=\[REDACTED\]/,
    );
  });

  it("bench review: run.json, results, reports, trajectories and summaries hold no secret; the run resumes when the credentials change", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-secrets-bench-"));
    const { split, repoDir } = writeBenchSplit(root, 2);
    const config = join(root, "config.yaml");
    writeFileSync(config, "model:\n  maxRetries: 0\n");
    // Instance 1 is refused with an echoing 401. Instance 2 first meets an echoing 500 (an infrastructure failure,
    // tried again by the next run), then is reviewed.
    let serverUp = false;
    server = await startMockServer({
      respond: (body) => {
        const messages = body.messages as Array<{ content?: string }>;
        if ((messages[1]?.content ?? "").includes("(instance 1)"))
          return echoing(401, [PASSWORD, QUERY_KEY, REVIEWER_KEY]);
        if (!serverUp) return echoing(500, [PASSWORD, QUERY_KEY, REVIEWER_KEY]);
        return {
          content: JSON.stringify({
            decision: { recommendation: "approve", confidence: 0.9 },
            summary: { problem: "p", solution: "s", overall_assessment: "o" },
            defects: [],
          }),
        };
      },
    });
    const runDir = join(root, "run");
    const bench = (reviewerUrl: string) =>
      runCli(
        [
          "--log-level",
          "debug",
          "--config",
          config,
          "--api-key",
          KEY,
          "bench",
          "review",
          "--dataset",
          split,
          "--repo",
          `demo/inventory=${repoDir}`,
          "--mode",
          "single-turn-diff",
          "--reviewer-base-url",
          reviewerUrl,
          "--attempts",
          "1",
          "--retry-delay",
          "0",
          "--run-dir",
          runDir,
        ],
        { env: { ...files.env, SWE_REVIEW_REVIEWER_API_KEY: REVIEWER_KEY }, timeoutMs: 120_000 },
      );
    const first = await bench(credentialed(server.baseUrl));
    expect(first.code, first.stderr).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({ items: 2, failed: 1 });
    const outputs = expectNoSecret(first, runDir);
    const manifest = JSON.parse(outputs[join(runDir, "run.json")] ?? "{}");
    expect(manifest.settings.spec.reviewer.base_url).toBe(
      `http://[REDACTED]@${new URL(server.baseUrl).host}/v1?api-key=[REDACTED]&api-version=2024-10-01`,
    );
    expect(Object.keys(outputs).some((path) => path.endsWith("summary.json"))).toBe(true);
    expect(Object.keys(outputs).filter((path) => path.endsWith("trajectory.jsonl"))).toHaveLength(2);
    expect(Object.values(outputs).join("\n")).toContain("Incorrect API key provided: [REDACTED]");
    expect(server.requests.every((request) => request.headers.authorization === basic())).toBe(true);

    // The same server behind another password: the same run (the failed item is tried again), still no secret.
    serverUp = true;
    const sent = server.requests.length;
    const again = await bench(credentialed(server.baseUrl, "other-password-1234"));
    expect(again.stderr).not.toMatch(/other settings/);
    expect(JSON.parse(again.stdout)).toMatchObject({ items: 2, failed: 0 });
    expectNoSecret(again, runDir);
    expect(readFileSync(join(runDir, "run.json"), "utf8")).not.toContain("other-password-1234");
    expect(server.requests.length).toBeGreaterThan(sent);
    expect(server.requests.at(-1)?.headers.authorization).toBe(basic("other-password-1234"));
  });

  it("config and doctor print the base URL redacted, beside the redacted key", async () => {
    const files = fixtureFiles();
    server = await startMockServer({ script: [] });
    const url = credentialed(server.baseUrl);
    const config = join(files.root, "config.yaml");
    writeFileSync(config, `model:\n  apiKey: ${KEY}\n`);
    const env = { ...files.env, SWE_REVIEW_BASE_URL: url };
    const shown = `http://[REDACTED]@${new URL(server.baseUrl).host}/v1?api-key=[REDACTED]&api-version=2024-10-01`;

    const yaml = await runCli(["--config", config, "config"], { env });
    expect(yaml.code).toBe(0);
    expectNoSecret(yaml);
    expect(yaml.stdout).toContain(`baseUrl: ${shown}`);
    expect(yaml.stdout).toContain('apiKey: "[REDACTED]"');
    const json = await runCli(["--config", config, "--api-key", KEY, "config", "--json"], { env });
    expectNoSecret(json);
    expect(JSON.parse(json.stdout).config.model).toMatchObject({ baseUrl: shown, apiKey: "[REDACTED]" });

    for (const args of [["doctor"], ["doctor", "--json"]]) {
      const doctor = await runCli(["--config", config, ...args], { env, timeoutMs: 60_000 });
      expectNoSecret(doctor);
      expect(doctor.stdout).toContain(shown);
    }
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests[0]?.headers.authorization).toBe(basic());
  });

  it("a bad --queue URL is refused without printing its password", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-secrets-queue-"));
    const { split } = writeBenchSplit(root, 1);
    const result = await runCli(
      [
        "bench",
        "review",
        "--dataset",
        split,
        "--run-dir",
        join(root, "run"),
        "--queue",
        `redis://:${PASSWORD}@127.0.0.1:6390/not-a-number`,
      ],
      { env: files.env },
    );
    expect(result.code).toBe(3);
    expectNoSecret(result);
    expect(result.stderr).toContain("--queue redis://[REDACTED]@127.0.0.1:6390/not-a-number");
  });
});

/** A Redis for queue tests (.ci/run sets it); database 13 is this file's own. */
const QUEUE = process.env.SWE_REVIEW_TEST_REDIS?.replace(/\/\d*$/, "/13");

const noQueue = NO_TEST_REDIS;
describe.skipIf(noQueue)(skipTitle("secrets and the queue", noQueue), () => {
  it("a queue worker takes the reviewer URL's credentials from its own environment, never from run.json", async () => {
    const queue = QUEUE as string;
    const redis = new Redis(queue);
    await redis.flushdb();
    await redis.quit();
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-secrets-worker-"));
    const { split, repoDir } = writeBenchSplit(root, 2);
    server = await startMockServer({ respond: singleTurnReviewer(new Map()) });
    const url = credentialed(server.baseUrl);
    const runDir = join(root, "run");
    const env = { ...files.env, SWE_REVIEW_REVIEWER_API_KEY: REVIEWER_KEY };
    const submit = await runCli(
      [
        "bench",
        "review",
        "--dataset",
        split,
        "--repo",
        `demo/inventory=${repoDir}`,
        "--mode",
        "single-turn-diff",
        "--reviewer-base-url",
        url,
        "--attempts",
        "1",
        "--run-dir",
        runDir,
        "--queue",
        queue,
        "--no-wait",
      ],
      { env },
    );
    expect(submit.code, submit.stderr).toBe(0);
    expectNoSecret(submit, runDir);

    // A worker without the URL cannot rebuild the reviewer: it says which variable to set, and sends nothing.
    const worker = (extra: NodeJS.ProcessEnv) =>
      runProcess(process.execPath, [CLI, "worker", "--queue", queue, "--exit-when-idle"], {
        env: { ...env, ...extra },
        timeoutMs: 120_000,
      });
    const blind = await worker({});
    expectNoSecret(blind, runDir);
    expect(blind.stderr).toContain("SWE_REVIEW_REVIEWER_BASE_URL");
    expect(server.requests).toHaveLength(0);

    // Given it, the worker reviews through the credentialed URL; nothing it writes holds a secret.
    await runCli(["queue", "retry-failed", "--queue", queue], { env });
    const given = await worker({ SWE_REVIEW_REVIEWER_BASE_URL: url });
    expect(given.code, given.stderr).toBe(0);
    expectNoSecret(given, runDir);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.every((request) => request.headers.authorization === basic())).toBe(true);
    const results = readdirSync(join(runDir, "instances")).map((key) =>
      JSON.parse(readFileSync(join(runDir, "instances", key, "result.json"), "utf8")),
    );
    expect(results.map((result) => result.status)).toEqual(["done", "done"]);
  });
});
