import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { benchReviewer, writeBenchSplit } from "../helpers/bench-split.js";
import { CLI, runCli } from "../helpers/cli.js";
import { fixtureFiles, makeFixtureRepo } from "../helpers/review-fixture.js";
import { skipTitle } from "../helpers/skip.js";
import {
  baseImage,
  baseImageSkipReason,
  engineForTests,
  instanceImage,
} from "../support/container-images.js";
import { containersOf, until } from "../support/container-runs.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** What the agent's first command prints: everything a leak, a network or a wrong shell would show. */
const PROBE = [
  "echo CONDA=$CONDA_DEFAULT_ENV PY=$(command -v python) NODE=$(command -v node || echo none)",
  "grep CapEff /proc/self/status",
  "echo LOG; git log --all --format=%H; echo REFS; git for-each-ref --format='%(refname)'; echo STASH; git stash list",
  "echo OBJECTS=$(git cat-file --batch-all-objects --batch-check | wc -l)",
  "echo FUTURE=$(git cat-file --batch-all-objects --batch 2>/dev/null | grep -ac 'FUTURE' || true)",
  "echo LATER_FILE=$(ls inventory/later.py 2>/dev/null || echo absent)",
  `python -c "import socket
try:
    socket.create_connection(('93.184.216.34', 80), timeout=3); print('NET=open')
except OSError as e:
    print('NET=closed', e)"`,
  "echo IFACES=$(ls /sys/class/net 2>/dev/null | tr '\\n' ,)",
  "echo DONE-PROBE",
].join("\n");

/** The bench reviewer, after a probe of the container as its first command. */
function probingReviewer(body: Record<string, unknown>): ScriptEntry {
  const messages = body.messages as Array<{ role: string; content?: string }>;
  if (messages.length <= 2) return { toolCalls: [{ name: "terminal", arguments: { command: PROBE } }] };
  if (messages.length <= 4) return benchReviewer({ ...body, messages: messages.slice(0, 2) });
  return benchReviewer(body);
}

describe.skipIf(skip)(skipTitle("swe-review bench review --sandbox docker", skip), () => {
  const docker = (engine as Engine).docker;

  it("reviews inside the instance image: conda active, no Node.js, no network, no capabilities, nothing past the base, and no container left", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-container-review-"));
    made.push(root, files.root);
    const { split, repoDir, labels } = writeBenchSplit(root, 2);
    const base = JSON.parse(readFileSync(join(split, "instances.json"), "utf8")).instances[
      "demo__inventory-1"
    ].base_commit as string;
    const image = await instanceImage(engine as Engine, { name: "inventory", repoDir, baseCommit: base });
    const reachable = execFileSync("git", ["-C", repoDir, "rev-list", "--objects", base], {
      encoding: "utf8",
    })
      .trim()
      .split("\n").length;
    const ancestry = execFileSync("git", ["-C", repoDir, "rev-list", base], { encoding: "utf8" })
      .trim()
      .split("\n");

    server = await startMockServer({ respond: async (body) => probingReviewer(body) });
    const runDir = join(root, "run");
    // No --repo: nothing is cloned on this host; the repository comes from the image.
    const result = await runCli(
      [
        "bench",
        "review",
        "--dataset",
        split,
        "--sandbox",
        "docker",
        "--image",
        image,
        "--no-pull",
        "-j",
        "1",
        "--run-dir",
        runDir,
      ],
      {
        env: {
          ...files.env,
          SWE_REVIEW_BASE_URL: server.baseUrl,
          DOCKER_HOST: process.env.DOCKER_HOST ?? "",
        },
        timeoutMs: 300_000,
      },
    );
    expect(result.stderr, result.stderr).not.toMatch(/error:/);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ items: 2, done: 2, failed: 0 });
    for (const [id, good] of Object.entries(labels)) {
      const item = JSON.parse(
        readFileSync(join(runDir, "instances", `${id}@fixture_split`, "result.json"), "utf8"),
      );
      expect(item.review.decision).toBe(good ? "approve" : "request_changes");
    }

    const trajectory = readFileSync(
      join(runDir, "instances", "demo__inventory-1@fixture_split", "trajectory.jsonl"),
      "utf8",
    );
    const probe =
      /CONDA=(?!\$)[\s\S]*?DONE-PROBE/.exec(
        trajectory.replaceAll("\\n", "\n").replaceAll("\\t", "\t"),
      )?.[0] ?? "";
    expect(probe).toContain("CONDA=testbed PY=/opt/miniconda3/envs/testbed/bin/python NODE=none");
    expect(probe).toMatch(/CapEff:\s+0000000000000000/);
    const log = /LOG\n([\s\S]*?)REFS\n([\s\S]*?)STASH\n([\s\S]*?)OBJECTS=(\d+)/.exec(probe);
    expect(log, probe).not.toBeNull();
    expect((log?.[1] ?? "").trim().split("\n").sort()).toEqual([...ancestry].sort());
    expect(log?.[2]?.trim()).toBe("");
    expect(log?.[3]?.trim()).toBe("");
    expect(Number(log?.[4])).toBe(reachable);
    expect(probe).toContain("FUTURE=0");
    expect(probe).toContain("LATER_FILE=absent");
    expect(probe).toContain("NET=closed");
    expect(probe).toMatch(/IFACES=(lo,)?\n/);

    for (const id of Object.keys(labels)) expect(await containersOf(docker, `review ${id}`)).toEqual([]);
  }, 600_000);

  it.each([
    ["Ctrl-C", 1],
    ["a second Ctrl-C", 2],
  ])(
    "leaves no container after %s in the middle of a review",
    async (_, interrupts) => {
      const files = fixtureFiles();
      const root = mkdtempSync(join(tmpdir(), "swe-review-container-sigint-"));
      made.push(root, files.root);
      const { split, repoDir } = writeBenchSplit(root, 1);
      const base = JSON.parse(readFileSync(join(split, "instances.json"), "utf8")).instances[
        "demo__inventory-1"
      ].base_commit as string;
      const image = await instanceImage(engine as Engine, { name: "inventory", repoDir, baseCommit: base });
      // The reviewer sleeps in its first command, so the container is busy when the interrupt comes.
      server = await startMockServer({
        respond: async () => ({ toolCalls: [{ name: "terminal", arguments: { command: "sleep 600" } }] }),
      });
      const child = spawn(
        process.execPath,
        [
          CLI,
          "bench",
          "review",
          "--dataset",
          split,
          "--sandbox",
          "docker",
          "--image",
          image,
          "--no-pull",
          "--run-dir",
          join(root, "run"),
        ],
        {
          env: {
            ...process.env,
            ...files.env,
            SWE_REVIEW_BASE_URL: server.baseUrl,
            DOCKER_HOST: process.env.DOCKER_HOST ?? "",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      const run = "review demo__inventory-1";
      expect(
        await until(
          async () => (await containersOf(docker, run)).some((c) => c.State === "running"),
          120_000,
        ),
        stderr,
      ).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // the sleep is running
      child.kill("SIGINT");
      if (interrupts === 2) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        child.kill("SIGINT");
      }
      const code = await exited;
      expect(code).not.toBe(0);
      expect(await until(async () => (await containersOf(docker, run)).length === 0, 15_000)).toBe(true);
      expect(existsSync(join(root, "run"))).toBe(true);
      expect(readdirSync(root)).toContain("run");
    },
    300_000,
  );

  it("review --repo with --image copies the checkout at the base into any image's /testbed, runs the agent there, and leaves the user's clone alone", async () => {
    const files = fixtureFiles();
    made.push(files.root);
    const { repo, base } = makeFixtureRepo();
    made.push(repo.dir);
    const image = await baseImage(engine as Engine);
    const before = { head: repo.git("rev-parse", "HEAD"), refs: repo.git("for-each-ref") };
    server = await startMockServer({ respond: async (body) => probingReviewer(body) });
    const out = join(files.root, "out");
    const result = await runCli(
      [
        "review",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--patch",
        files.correct,
        "--out",
        out,
        "--sandbox",
        "docker",
        "--image",
        image,
        "--no-pull",
      ],
      {
        env: {
          ...files.env,
          SWE_REVIEW_BASE_URL: server.baseUrl,
          DOCKER_HOST: process.env.DOCKER_HOST ?? "",
        },
        timeoutMs: 300_000,
      },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toMatchObject({
      decision: "approve",
      commit: base,
    });
    const trajectory = readFileSync(join(out, "trajectory.jsonl"), "utf8").replaceAll("\\n", "\n");
    const probe = /CONDA=(?!\$)[\s\S]*?DONE-PROBE/.exec(trajectory)?.[0] ?? "";
    expect(probe).toContain("CONDA=testbed");
    expect(probe).toContain("LATER_FILE=absent");
    expect(probe).toContain("FUTURE=0");
    expect(/LOG\n([\s\S]*?)REFS/.exec(probe)?.[1]?.trim()).toBe(base);
    expect({ head: repo.git("rev-parse", "HEAD"), refs: repo.git("for-each-ref") }).toEqual(before);
  }, 600_000);
});
