import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { skipTitle } from "../helpers/skip.js";
import { baseImage, baseImageSkipReason, engineForTests } from "../support/container-images.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);

const dir = mkdtempSync(join(tmpdir(), "swe-review-doctor-docker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two SWE-bench-shaped rows SWE-bench's run facts cover (sympy 1.7), named into a template of local images. */
function writeDataset(): string {
  const row = {
    repo: "sympy/sympy",
    base_commit: "a".repeat(40),
    problem_statement: "p",
    test_patch: "",
    version: "1.7",
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
  };
  const dataset = join(dir, "instances.jsonl");
  writeFileSync(
    dataset,
    ["sympy__sympy-90001", "sympy__sympy-90002"]
      .map((id) => JSON.stringify({ ...row, instance_id: id }))
      .join("\n"),
  );
  return dataset;
}

describe("swe-review doctor --dataset --sandbox docker without an engine", () => {
  it("says in one check what was tried and how to get one, and exits 3", async () => {
    const env = { PATH: process.env.PATH ?? "", HOME: dir, DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    const text = await runCli(["doctor", "--dataset", writeDataset(), "--sandbox", "docker"], {
      cwd: dir,
      env,
    });
    expect(text.code, text.stderr).toBe(3);
    expect(text.stdout).toMatch(
      /✗ container engine +The container engine at unix:\/\/\/nonexistent\/docker\.sock does not answer \(.*looked at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock\)\. Start it, or point DOCKER_HOST at one that runs\.\n +fix: Install Docker, or Podman/,
    );
    expect(text.stdout).toMatch(/- images +skipped/);
    expect(text.stdout).not.toContain("sympy__sympy-90001");
  });
});

describe.skipIf(skip)(skipTitle("swe-review doctor --dataset --sandbox docker on the engine", skip), () => {
  it("says which image is on the engine and which is missing (why, naming it), in text and JSON", async () => {
    if (typeof engine === "string") throw new Error(engine);
    const base = await baseImage(engine);
    // A name of this run's own, so parallel runs and earlier runs cannot answer for it.
    const repository = `localhost/swe-review-test/doctor-${randomBytes(4).toString("hex")}`;
    const template = `${repository}-{id}:latest`;
    const ready = `${repository}-sympy_1776_sympy-90001:latest`;
    const missing = `${repository}-sympy_1776_sympy-90002:latest`;
    await engine.docker.getImage(base).tag({ repo: `${repository}-sympy_1776_sympy-90001`, tag: "latest" });
    try {
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      };
      const args = [
        "--image-template",
        template,
        "doctor",
        "--dataset",
        writeDataset(),
        "--sandbox",
        "docker",
      ];
      const text = await runCli(args, { cwd: dir, env });
      expect(text.code, text.stderr).toBe(1);
      expect(text.stdout).toMatch(/✓ container engine +unix:\/\/\S+ answers \(amd64\)\n/);
      expect(text.stdout).toMatch(/✗ images +2 images on unix:\/\/\S+: 1 ready, 0 need pull, 1 missing\n/);
      expect(text.stdout).toContain("✓ run facts          SWE-bench's run facts cover all 2 instances\n");
      expect(text.stdout).toContain(`✓ sympy__sympy-90001: image ${ready} ready\n`);
      expect(text.stdout).toMatch(
        new RegExp(
          `✗ sympy__sympy-90002: image ${missing.replaceAll(".", "\\.")} missing: not on the engine, and (the engine at \\S+ cannot ask a registry about it|its registry did not answer for it).*\n`,
        ),
      );

      const json = await runCli([...args, "--json"], { cwd: dir, env });
      expect(json.code, json.stderr).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report).toMatchObject({
        healthy: false,
        sandbox: "docker",
        engine_found: true,
        pull_bytes: 0,
      });
      expect(report.instances[0]).toMatchObject({
        instance_id: "sympy__sympy-90001",
        status: "ready",
        reasons: [],
        run_facts: true,
        image: { name: ready, state: "ready" },
      });
      expect(report.instances[0].image.size).toBeGreaterThan(1e6);
      expect(report.instances[1]).toMatchObject({
        instance_id: "sympy__sympy-90002",
        status: "blocked",
        run_facts: true,
        image: { name: missing, state: "missing" },
      });
      expect(report.instances[1].reasons[0]).toContain(`image ${missing} missing: not on the engine, and `);
      expect(report.results.map((result: { id: string }) => result.id)).toEqual([
        "dataset",
        "engine",
        "images",
        "run-facts",
        "instances",
      ]);
    } finally {
      await engine.docker
        .getImage(ready)
        .remove()
        .catch(() => {});
    }
    // Doctor never pulls: the missing image is still missing, and the base is still there.
    await expect(engine.docker.getImage(missing).inspect()).rejects.toThrow();
    await expect(engine.docker.getImage(base).inspect()).resolves.toBeTruthy();
  });
});
