import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { runCli } from "../helpers/cli.js";
import { GENERATOR, INSTANCE_ID, writeInventoryDataset } from "../helpers/loop-fixture.js";
import {
  APPROVE_REPORT,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
} from "../helpers/review-fixture.js";
import { skipTitle, unless } from "../helpers/skip.js";
import {
  baseImage,
  baseImageSkipReason,
  engineForTests,
  instanceImage,
} from "../support/container-images.js";
import { containersOf } from "../support/container-runs.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);
const hasPodman = (() => {
  try {
    execFileSync("podman", ["--version"], { stdio: "ignore" });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const FIX = `sed -i 's/"lb": 453.592}/"lb": 453.592, "oz": 28.3495}/' /testbed/inventory/units.py`;

/**
 * Planted for the extraction: a clean filter that would replace every Python file's content, an fsmonitor and a
 * hook that would add a file, and a global config doing the same. Extraction uses none of them, so the candidate
 * is exactly the fix (and the planted .gitattributes, which is part of the working tree like any file).
 */
const PLANT = [
  "cd /testbed",
  "printf '*.py filter=evil\\n' > .gitattributes",
  "git config filter.evil.clean 'echo FORGED-BY-FILTER'",
  "git config core.fsmonitor 'touch /testbed/PLANTED-FSMONITOR; false'",
  "mkdir -p .git/hooks && printf '#!/bin/sh\\ntouch /testbed/PLANTED-HOOK\\n' > .git/hooks/post-index-change && chmod +x .git/hooks/post-index-change",
  "git config --global filter.evil.clean 'echo FORGED-BY-GLOBAL'",
].join(" && ");

const PR = JSON.stringify({ pr_title: "Add ounces", pr_body: "FACTORS gains oz." });

function generator(): ScriptEntry[] {
  return [
    { toolCalls: [{ name: "terminal", arguments: { command: `${PLANT} && ${FIX}` } }] },
    {
      toolCalls: [
        { name: "terminal", arguments: { command: `cat > /pr_content.json << 'EOF'\n${PR}\nEOF` } },
      ],
    },
    { toolCalls: [{ name: "finish", arguments: { message: "Fixed." } }] },
  ];
}

describe.skipIf(skip)(skipTitle("swe-review generate --sandbox docker", skip), () => {
  it("generates in a container: the candidate is the agent's change as it left it, read by a repository of our own, and the PR content comes from /pr_content.json", async () => {
    const files = fixtureFiles();
    made.push(files.root);
    const { repo, base } = makeFixtureRepo();
    made.push(repo.dir);
    const image = await baseImage(engine as Engine);
    server = await startMockServer({ script: generator() });
    const out = join(files.root, "out");
    const result = await runCli(
      [
        "generate",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator-base-url",
        server.baseUrl,
        "--sandbox",
        "docker",
        "--image",
        image,
        "--no-pull",
      ],
      { env: { ...files.env, DOCKER_HOST: process.env.DOCKER_HOST ?? "" }, timeoutMs: 300_000 },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const patch = readFileSync(join(out, "candidate.patch"), "utf8");
    expect(patch).toContain('+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}');
    expect(patch).not.toMatch(/FORGED|PLANTED/);
    expect([...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1])).toEqual([
      ".gitattributes",
      "inventory/units.py",
    ]);
    expect(JSON.parse(readFileSync(join(out, "pr.json"), "utf8"))).toMatchObject({
      pr_title: "Add ounces",
      source: "file",
    });
    expect(JSON.parse(readFileSync(join(out, "result.json"), "utf8"))).toMatchObject({ commit: base });
    expect(await containersOf((engine as Engine).docker, "generate generation")).toEqual([]);
  }, 600_000);

  it("swe-review sandbox runs a command in --image with the checkout at a revision the host resolves (HEAD~1)", async () => {
    const { repo, base } = makeFixtureRepo();
    made.push(repo.dir);
    const image = await baseImage(engine as Engine);
    const result = await runCli(
      [
        "sandbox",
        "--repo",
        repo.dir,
        "--base",
        "HEAD~1",
        "--sandbox",
        "docker",
        "--image",
        image,
        "--no-pull",
        "--",
        "git rev-parse HEAD; ls inventory; echo $CONDA_DEFAULT_ENV",
      ],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/tmp",
          DOCKER_HOST: process.env.DOCKER_HOST ?? "",
        },
        timeoutMs: 120_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${base}\n__init__.py\nreport.py\nunits.py\ntestbed\n`);
    expect(result.stderr).toContain("docker sandbox");
  }, 300_000);

  it("runs the generate → review → revise loop in containers: a rejected symptom fix, a revision from the feedback, approved", async () => {
    const files = fixtureFiles();
    made.push(files.root);
    const { repo, base } = makeFixtureRepo();
    made.push(repo.dir);
    const image = await baseImage(engine as Engine);
    const generatorServer = await startMockServer({ script: GENERATOR });
    const reviewerServer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    try {
      const out = join(files.root, "loop");
      const result = await runCli(
        ["loop", "--repo", repo.dir, "--base", base, "--issue", files.issue, "--out", out]
          .concat(["--generator", "SWE-Review-30B-A3B", "--generator-base-url", generatorServer.baseUrl])
          .concat(["--reviewer", "SWE-Review-30B-A3B", "--reviewer-base-url", reviewerServer.baseUrl])
          .concat([
            "--strategy",
            "iterative",
            "--budget",
            "3",
            "--sandbox",
            "docker",
            "--image",
            image,
            "--no-pull",
          ]),
        { env: { ...files.env, DOCKER_HOST: process.env.DOCKER_HOST ?? "" }, timeoutMs: 300_000 },
      );
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const record = JSON.parse(readFileSync(join(out, "loop.json"), "utf8"));
      expect(record).toMatchObject({ samples_spent: 2, outcome: "approved" });
      expect(readFileSync(join(out, "final.patch"), "utf8")).toContain(
        '+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}',
      );
      expect(readFileSync(join(out, "rounds", "01-generation", "candidate.patch"), "utf8")).toContain(
        "except KeyError",
      );
    } finally {
      await generatorServer.close();
      await reviewerServer.close();
    }
  }, 600_000);

  it("bench tts runs each instance's loop in its image: generations, reviews and verifications, with no host clone", async () => {
    const files = fixtureFiles();
    made.push(files.root);
    const { repo, base } = makeFixtureRepo();
    made.push(repo.dir);
    const { dataset, config } = writeInventoryDataset(files.root, base);
    const image = await instanceImage(engine as Engine, {
      name: "inventory",
      repoDir: repo.dir,
      baseCommit: base,
    });
    const row = JSON.parse(readFileSync(dataset, "utf8"));
    writeFileSync(dataset, `${JSON.stringify({ ...row, image_name: image })}\n`);
    const generatorServer = await startMockServer({ script: GENERATOR });
    const reviewerServer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    try {
      const runDir = join(files.root, "tts-run");
      const result = await runCli(
        ["bench", "tts", "--dataset", dataset, "--config", config, "--strategy", "iterative", "--budget", "3"]
          .concat(["--no-verdict", "reject", "--run-dir", runDir, "--sandbox", "docker", "--no-pull"])
          .concat([
            "--generator-base-url",
            generatorServer.baseUrl,
            "--reviewer-base-url",
            reviewerServer.baseUrl,
          ]),
        {
          env: {
            ...files.env,
            DOCKER_HOST: process.env.DOCKER_HOST ?? "",
            XDG_CACHE_HOME: join(files.root, "cache"),
          },
          timeoutMs: 600_000,
        },
      );
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}")).toMatchObject({
        items: 1,
        done: 1,
        approved: 1,
        resolved: 1,
        mean_samples: 2,
      });
      const item = JSON.parse(readFileSync(join(runDir, "instances", INSTANCE_ID, "result.json"), "utf8"));
      expect(
        item.loop.samples.map(
          (sample: { kind: string; review?: { decision: string }; resolved: boolean }) => [
            sample.kind,
            sample.review?.decision,
            sample.resolved,
          ],
        ),
      ).toEqual([
        ["generation", "request_changes", false],
        ["revision", "approve", true],
      ]);
      // No clone was made: the repository came from the image every time.
      expect(existsSync(join(files.root, "cache", "swe-review", "repos"))).toBe(false);
    } finally {
      await generatorServer.close();
      await reviewerServer.close();
    }
  }, 900_000);

  const noPodman = unless(hasPodman, "needs podman and root (to serve the engine over TCP)");
  it.skipIf(noPodman)(
    skipTitle(
      "works over a TCP engine (as a remote one: nothing is mounted from this host, files go through the API)",
      noPodman,
    ),
    async () => {
      const { repo, base } = makeFixtureRepo();
      made.push(repo.dir);
      const image = await baseImage(engine as Engine);
      const port = await freePort();
      const service = spawn("podman", ["system", "service", "--time=0", `tcp://127.0.0.1:${port}`], {
        stdio: "ignore",
      });
      try {
        const env = {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/tmp",
          DOCKER_HOST: `tcp://127.0.0.1:${port}`,
        };
        let result = await runCli(
          ["sandbox", "--repo", repo.dir, "--sandbox", "docker", "--image", image, "--no-pull", "--", "true"],
          { env, timeoutMs: 60_000 },
        );
        for (let tries = 0; result.code !== 0 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 500)); // the service is starting
          result = await runCli(
            [
              "sandbox",
              "--repo",
              repo.dir,
              "--sandbox",
              "docker",
              "--image",
              image,
              "--no-pull",
              "--",
              "true",
            ],
            { env, timeoutMs: 60_000 },
          );
        }
        result = await runCli(
          [
            "sandbox",
            "--repo",
            repo.dir,
            "--base",
            base,
            "--sandbox",
            "docker",
            "--image",
            image,
            "--no-pull",
            "--",
            "git rev-parse HEAD; cat inventory/units.py | head -1",
          ],
          { env, timeoutMs: 120_000 },
        );
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toBe(`${base}\nFACTORS = {"g": 1, "kg": 1000, "lb": 453.592}\n`);
      } finally {
        service.kill();
      }
    },
    300_000,
  );
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
