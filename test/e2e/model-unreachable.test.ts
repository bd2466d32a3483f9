import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import { fixtureFiles, makeFixtureRepo } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

/**
 * A model server that is not there (a port nothing listens on), with the default retry policy: every command ends
 * with exit 2 and the server named (without its credentials) after two quick retries (counted in its log), and no
 * command asks the dead server anything after the first call failed for good. On an idle machine each takes 2–5 s;
 * LIMIT_MS only guards against a hang (a retry policy that waits, 1 + 2 + 4 + 8 + 16 s, would exceed it), since wall
 * time on a loaded CI machine is not the behaviour under test.
 */
const KEY = "sk-e2e-dead-server-key-5e1c";
const PASSWORD = "sk-e2e-dead-server-pass-77a0";
const QUERY_KEY = "sk-e2e-dead-server-query-1b9d";
const LIMIT_MS = 25_000;

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function deadServer() {
  const port = await closedPort();
  return {
    port,
    url: `http://swe:${PASSWORD}@127.0.0.1:${port}/v1?api-key=${QUERY_KEY}`,
    shown: `Cannot reach http://[REDACTED]@127.0.0.1:${port}/v1?api-key=[REDACTED]: the connection was refused (ECONNREFUSED)`,
  };
}

/** Runs the CLI with the default retries (no config file), timed; the time is printed. */
async function timed(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  const result = await runCli(args, { env, timeoutMs: 120_000 });
  const ms = Date.now() - started;
  console.log(`${label} against a dead model server: exit ${result.code} after ${ms} ms`);
  return { ...result, ms };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path, "utf8")];
  });
}

function expectNoSecret(result: CliResult, dir: string): void {
  for (const text of [result.stdout, result.stderr, ...filesUnder(dir)]) {
    for (const secret of [KEY, PASSWORD, QUERY_KEY]) expect(text).not.toContain(secret);
  }
}

/** The retry log lines (the fixture logs at warn): two quick retries are all one dead call gets. */
const retries = (stderr: string) => stderr.split("\n").filter((line) => line.includes("retrying in")).length;

function setup() {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  return { repo, base, files, env: { ...files.env, SWE_REVIEW_API_KEY: KEY } };
}

describe("a model server that refuses connections, with the default retries", () => {
  for (const mode of ["agentic", "single-turn-diff"] as const) {
    const noSandbox = mode === "agentic" ? NO_BWRAP : undefined;
    it.skipIf(noSandbox)(
      skipTitle(
        `review (${mode}): no verdict, exit 2, the server named, no final report request, after two quick retries`,
        noSandbox,
      ),
      async () => {
        const { repo, base, files, env } = setup();
        const server = await deadServer();
        const out = join(files.root, "out");
        const result = await timed(
          `review (${mode})`,
          [
            "--base-url",
            server.url,
            "review",
            "--repo",
            repo.dir,
            "--issue",
            files.issue,
            "--patch",
            files.correct,
            "--base",
            base,
            "--out",
            out,
            "--mode",
            mode,
          ],
          env,
        );
        expect(result.code, result.stderr).toBe(2);
        expect(result.ms).toBeLessThanOrEqual(LIMIT_MS);
        expect(result.stdout).toMatch(/^## swe-review: no verdict/);
        expect(result.stdout).toContain(server.shown);
        expect(result.stdout).not.toContain("final report request");
        expect(retries(result.stderr)).toBe(2);
        expectNoSecret(result, out);
        const events = readTrajectory(join(out, "trajectory.jsonl")).events;
        expect(events.filter((event) => event.type === "step")).toHaveLength(0);
        expect(events.some((event) => event.type === "message" && event.kind === "notice")).toBe(false);
        expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toMatchObject({
          decision: null,
          status: "model_error",
        });
      },
    );
  }

  it.skipIf(NO_BWRAP)(
    skipTitle("generate: exit 2 with the error on stderr, after two quick retries", NO_BWRAP),
    async () => {
      const { repo, base, files, env } = setup();
      const server = await deadServer();
      const out = join(files.root, "generate");
      const result = await timed(
        "generate",
        [
          "--base-url",
          server.url,
          "generate",
          "--repo",
          repo.dir,
          "--base",
          base,
          "--issue",
          files.issue,
          "--out",
          out,
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(2);
      expect(result.ms).toBeLessThanOrEqual(LIMIT_MS);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`error: ${server.shown}`);
      expect(retries(result.stderr)).toBe(2);
      expectNoSecret(result, out);
      expect(JSON.parse(readFileSync(join(out, "result.json"), "utf8"))).toMatchObject({
        status: "model_error",
        error: { code: "model_unreachable" },
      });
    },
  );

  it.skipIf(NO_BWRAP)(
    skipTitle(
      "loop: stops at the first generation instead of spending its budget, exit 2, after two quick retries",
      NO_BWRAP,
    ),
    async () => {
      const { repo, base, files, env } = setup();
      const server = await deadServer();
      const out = join(files.root, "loop");
      const result = await timed(
        "loop (gated, budget 3)",
        [
          "--base-url",
          server.url,
          "loop",
          "--repo",
          repo.dir,
          "--base",
          base,
          "--issue",
          files.issue,
          "--out",
          out,
          "--strategy",
          "gated",
          "--budget",
          "3",
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(2);
      expect(result.ms).toBeLessThanOrEqual(LIMIT_MS);
      expect(result.stderr).toContain(
        `error: The loop stopped at sample 1: the generator's model server cannot be reached. ${server.shown}`,
      );
      expect(retries(result.stderr)).toBe(2);
      expectNoSecret(result, out);
      const record = JSON.parse(readFileSync(join(out, "loop.json"), "utf8"));
      expect(record.samples).toHaveLength(1);
      expect(record.samples[0].generation.error).toMatch(/^model_unreachable: /);
      expect(record.reviewer_calls).toBe(0);
    },
  );
});
