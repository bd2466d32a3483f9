import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer } from "../../src/model/mock-server/server.js";
import { singleTurnReviewer, writeBenchSplit } from "../helpers/bench-split.js";
import { importBuilt } from "../helpers/built.js";
import { CLI, runCli } from "../helpers/cli.js";
import { runCliBatch } from "../helpers/cli-batch.js";
import { fixtureFiles } from "../helpers/review-fixture.js";
import { manifest } from "../helpers/run-dir.js";
import { skipTitle, unless } from "../helpers/skip.js";
import { waitUntil } from "../helpers/wait.js";

/**
 * Every command that takes a queue, when its Redis is not there: a clear error within seconds naming the URL (its
 * password hidden), exit 4 (3 for a malformed URL), nothing made on disk, and one Ctrl-C ends the wait. A worker
 * whose Redis goes away mid-run says so in one line, carries on when it is back, and stops on one Ctrl-C.
 */

const { buildProgram } = await importBuilt<typeof import("../../src/cli/main.js")>("cli/main.js");
const SECRET = "hunter2-queue-password";
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

const children: ChildProcess[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const close of closers.splice(0)) await close();
});

/** The commands that take `--queue`, found in the program, each with what else it needs. */
function queueCommands(): Array<{ name: string; argv: (queue: string) => string[] }> {
  const root = mkdtempSync(join(tmpdir(), "swe-review-queue-down-"));
  const dataset = join(root, "dataset.jsonl");
  writeFileSync(dataset, "");
  const reviewRun = join(root, "review-run");
  mkdirSync(reviewRun);
  writeFileSync(
    join(reviewRun, "run.json"),
    JSON.stringify(
      manifest({
        settings: {
          spec: {
            kind: "review",
            dataset: { path: dataset },
            mode: "single-turn-diff",
            reviewer: {},
            repoOverrides: [],
            attempts: 1,
          },
        },
      }),
    ),
  );
  let runs = 0;
  const extra: Record<string, () => string[]> = {
    "bench review": () => ["--dataset", dataset, "--run-dir", join(root, `run-${runs++}`)],
    "bench tts": () => ["--dataset", dataset, "--run-dir", join(root, `run-${runs++}`)],
    "bench verify": () => ["--dataset", dataset, "--run-dir", join(root, `run-${runs++}`)],
    "bench revise": () => ["--run-dir", reviewRun],
    worker: () => [],
    "queue status": () => [],
    "queue drain": () => [],
    "queue retry-failed": () => [],
  };
  const found: string[] = [];
  const walk = (command: Command, path: string[]) => {
    if (command.options.some((option) => option.long === "--queue")) found.push(path.join(" "));
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(buildProgram(), []);
  expect(found.sort()).toEqual(Object.keys(extra).sort()); // a new --queue command needs its line above
  return found.map((name) => ({
    name,
    argv: (queue) => [...name.split(" "), ...(extra[name]?.() ?? []), "--queue", queue],
  }));
}

function env(): NodeJS.ProcessEnv {
  return {
    ...fixtureFiles().env,
    SWE_REVIEW_BASE_URL: "http://127.0.0.1:9/v1",
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** A server that accepts connections and never answers, as a hung Redis or a firewall that swallows packets. */
async function silentServer(): Promise<{ port: number; connected: () => boolean }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    connected: () => sockets.length > 0,
  };
}

function start(argv: string[], processEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...argv], {
    env: processEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `tasks` at most `limit` at a time: many CLI processes at once only slow each other down. */
async function inTurns<T>(tasks: Array<() => Promise<T>>, limit = 3): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

describe("commands that take a queue, when Redis is down", () => {
  it("end with exit 4 within seconds, naming the URL without its password and making nothing", async () => {
    const port = await freePort();
    const queue = `redis://worker:${SECRET}@127.0.0.1:${port}/0`;
    const shown = `redis://[REDACTED]@127.0.0.1:${port}/0`;
    const commands = queueCommands();
    const processEnv = env();
    const results = await inTurns(
      commands.map((command) => async () => {
        const argv = command.argv(queue);
        const started = Date.now();
        const result = await runCli(argv, { env: processEnv, timeoutMs: 60_000 });
        return { command, argv, result, seconds: (Date.now() - started) / 1000 };
      }),
    );
    for (const { command, argv, result, seconds } of results) {
      expect(result.code, `${command.name}: ${result.stderr}`).toBe(4);
      expect(result.stderr).toContain(`Cannot reach Redis at ${shown} (connect ECONNREFUSED`);
      expect(result.stderr.match(/ECONNREFUSED/g)).toHaveLength(1); // one line, not a trace per attempt
      expect(result.stderr + result.stdout).not.toContain(SECRET);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(seconds).toBeLessThan(30); // bounded by the CLI's start on a loaded machine; the check itself is at once
      const runDir = argv[argv.indexOf("--run-dir") + 1] as string;
      if (command.name === "bench revise") expect(existsSync(join(runDir, "revise.json"))).toBe(false);
      else if (argv.includes("--run-dir")) expect(existsSync(runDir)).toBe(false);
    }
  });

  it("end with exit 3 for a malformed URL, naming it without its password", async () => {
    const urls = [`http://u:${SECRET}@127.0.0.1:6379/0`, `redis://u:${SECRET}@127.0.0.1:6379/zero`];
    const cases = queueCommands().flatMap((command) => urls.map((url) => command.argv(url)));
    const results = await runCliBatch(cases, { cwd: tmpdir(), env: env() });
    for (const [index, result] of results.entries()) {
      expect(result.code, `${cases[index]?.join(" ")}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toMatch(
        /^error: --queue \S+\/\/\[REDACTED\]@127\.0\.0\.1:6379\/\S*: (expected a redis:\/\/|the database must be a number)/,
      );
      expect(result.stderr).not.toContain(SECRET);
    }
  });

  it("end with exit 4 when Redis does not answer, and stop at once on one Ctrl-C while they wait", async () => {
    const commands = queueCommands();
    const processEnv = env();
    const interrupted = await inTurns(
      commands.map((command) => async () => {
        const silent = await silentServer();
        const run = start(command.argv(`redis://127.0.0.1:${silent.port}/0`), processEnv);
        await waitUntil(silent.connected, `${command.name} to connect`);
        const sent = Date.now();
        run.child.kill("SIGINT");
        const exit = await run.exited;
        return { command, exit, seconds: (exit.at - sent) / 1000, stderr: run.stderr() };
      }),
    );
    for (const { command, exit, seconds, stderr } of interrupted) {
      // 130 where the command stops cleanly; killed by the signal (which the shell reports as 130) elsewhere.
      expect(
        exit.code === 130 || exit.signal === "SIGINT",
        `${command.name}: ${JSON.stringify(exit)} ${stderr}`,
      ).toBe(true);
      expect(seconds, command.name).toBeLessThan(5);
      expect(stderr).not.toMatch(STACK_FRAME);
    }
    const silent = await silentServer();
    const waited = await runCli(["queue", "status", "--queue", `redis://127.0.0.1:${silent.port}/0`], {
      env: processEnv,
    });
    expect(waited.code).toBe(4);
    expect(waited.stderr).toMatch(
      /^error: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 did not answer within 5 s\./,
    );
  });
});

const HAS_REDIS_SERVER = (() => {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const noRedisServer = unless(
  HAS_REDIS_SERVER,
  "redis-server is not installed (apt-get install redis-server)",
);
describe.skipIf(noRedisServer)(skipTitle("a worker whose Redis goes away", noRedisServer), () => {
  it("says so in one line, works again when Redis is back, and stops on one Ctrl-C while it is away", async () => {
    const port = await freePort();
    const redis = () => {
      const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      children.push(child);
      return child;
    };
    const stopRedis = async (child: ChildProcess) => {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    };
    let server = redis();
    const queue = `redis://127.0.0.1:${port}/0`;
    const files = fixtureFiles();
    const { split, repoDir } = writeBenchSplit(files.root, 1);
    const model = await startMockServer({ respond: singleTurnReviewer(new Map()) });
    closers.push(() => model.close());
    const processEnv = { ...files.env, SWE_REVIEW_BASE_URL: model.baseUrl };
    const worker = start(["worker", "--queue", queue], processEnv);
    await waitUntil(() => worker.stderr().includes("1 at a time"), "the worker to start");

    await stopRedis(server);
    await waitUntil(() => worker.stderr().includes("[worker] lost Redis"), "the worker to notice");
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // reconnection attempts meanwhile: no more lines
    expect(worker.stderr().match(/lost Redis/g)).toHaveLength(1);
    expect(worker.stderr()).toMatch(
      new RegExp(
        // What the socket says depends on where the connection was cut: ECONNRESET, ECONNREFUSED, EPIPE.
        `\\[worker\\] lost Redis at redis://127\\.0\\.0\\.1:${port}/0 \\([^)]*(ECONN|EPIPE)[^)]*\\); reconnecting`,
      ),
    );

    server = redis();
    await waitUntil(() => worker.stderr().includes("is back after"), "the worker to reconnect");
    const runDir = join(files.root, "run");
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
      ].concat(["--run-dir", runDir, "--queue", queue]),
      { env: processEnv, timeoutMs: 120_000 },
    );
    expect(submit.code, submit.stderr).toBe(0);
    expect(JSON.parse(submit.stdout)).toMatchObject({ done: 1, failed: 0 });

    await stopRedis(server);
    await waitUntil(() => (worker.stderr().match(/lost Redis/g) ?? []).length === 2, "the second outage");
    const sent = Date.now();
    worker.child.kill("SIGINT");
    const exit = await worker.exited;
    expect((exit.at - sent) / 1000).toBeLessThan(5);
    expect(exit.code).toBe(0);
    expect(JSON.parse(worker.stdout().trim())).toEqual({ processed: 1, failed: 0 });
    expect(worker.stderr()).not.toMatch(STACK_FRAME);
    // One line per outage, whatever the client met on the way (refused, reset, closed).
    const lines = worker.stderr().trim().split("\n");
    expect(lines.filter((line) => /lost Redis/.test(line))).toHaveLength(2);
    expect(
      lines.filter((line) => /ECONN|Connection is closed/.test(line) && !/lost Redis/.test(line)),
    ).toEqual([]);
  });
});
