import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { ContainerEnvironment } from "../../src/harness/run/container-environment.js";
import { VerifyResultSchema } from "../../src/harness/run/verify-result.js";
import { SetupError } from "../../src/workspace/setup/setup-error.js";
import { runCli } from "../helpers/cli.js";
import { diffOf, pythonFixture, TESTS_AFTER } from "../helpers/harness-fixtures.js";
import { skipTitle } from "../helpers/skip.js";
import { baseImageSkipReason, engineForTests, instanceImage } from "../support/container-images.js";

/**
 * `swe-review verify --sandbox docker` end to end: the built CLI verifies a dataset row in its instance image (a
 * fixture shaped like SWE-bench's: fake conda, no Node.js, the repository at /testbed), with SWE-bench's own spec
 * for the row's repository and version (pallets/flask 2.3: `pytest -rA <test files>`, after a failing
 * `pip install -e .`), no host clone (no --repo, an empty cache), and leaves no container behind.
 */
const found = await engineForTests();
const skip = typeof found === "string" ? found : await baseImageSkipReason(found);

/**
 * A test the test patch adds, passing only where SWE-bench's conda activation ran before the tests (the fixture's
 * `pytest` is Debian's, so the interpreter itself is /usr/bin/python3).
 */
const CONDA_TEST = `import os


def test_conda_testbed_active():
    assert os.environ.get("CONDA_DEFAULT_ENV") == "testbed"
    assert os.environ["PATH"].startswith("/opt/miniconda3/envs/testbed/bin:")
`;

describe.skipIf(skip)(skipTitle("swe-review verify --sandbox docker", skip), () => {
  const engine = found as Engine;
  const dir = mkdtempSync(join(tmpdir(), "swe-review-verify-docker-"));
  const dataset = join(dir, "instances.jsonl");
  const candidates = join(dir, "candidates.jsonl");
  const id = "pallets__flask-90001";
  let image = "";
  let baseCommit = "";

  beforeAll(async () => {
    const fixture = pythonFixture(id);
    const testPatch = diffOf(fixture.repo, {
      "tests/test_calc.py": TESTS_AFTER,
      "tests/test_new.py":
        "from calc import add\n\n\ndef test_add_negative():\n    assert add(-1, -1) == -2\n",
      "tests/test_env.py": CONDA_TEST,
    });
    baseCommit = fixture.instance.base_commit;
    image = await instanceImage(engine, {
      name: "fixture-flask",
      repoDir: fixture.repo.dir,
      baseCommit: fixture.instance.base_commit,
      laterRefs: false,
    });
    const { dataset: _, ...row } = fixture.instance;
    writeFileSync(
      dataset,
      `${JSON.stringify({
        ...row,
        repo: "pallets/flask",
        version: "2.3",
        test_patch: testPatch,
        PASS_TO_PASS: [...(row.PASS_TO_PASS ?? []), "tests/test_env.py::test_conda_testbed_active"],
        image_name: image,
      })}\n`,
    );
    // Edits only the tests the test patch touches: reset to the base and replaced by the test patch, so no use.
    const cheat = diffOf(fixture.repo, {
      "tests/test_calc.py": TESTS_AFTER.replace("assert add(2, 3) == 5", "assert True"),
      "tests/test_new.py": "def test_add_negative():\n    pass\n",
    });
    writeFileSync(
      candidates,
      ["gold", "empty", "cheat"]
        .map((name) =>
          JSON.stringify({
            instance_id: id,
            candidate_id: `${id}@${name}`,
            model_patch: name === "gold" ? fixture.gold : name === "cheat" ? cheat : "",
          }),
        )
        .join("\n"),
    );
  }, 600_000);

  it("resolves the gold patch in the image, not the empty one nor one that edits the tests, and removes its containers", async () => {
    const output = join(dir, "results.jsonl");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      XDG_CACHE_HOME: join(dir, "cache"),
      XDG_CONFIG_HOME: join(dir, "config"),
    };
    for (const name of ["DOCKER_HOST", "CONTAINER_HOST"]) {
      const value = process.env[name];
      if (value) env[name] = value;
    }
    const run = await runCli(
      [
        "verify",
        "--dataset",
        dataset,
        "--candidates",
        candidates,
        "--output",
        output,
        "--sandbox",
        "docker",
        "--no-pull",
        "--no-setup-cache",
        "--timeout",
        "120",
      ],
      { cwd: dir, env, timeoutMs: 300_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const results = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((line) => VerifyResultSchema.parse(JSON.parse(line)));
    const byName = Object.fromEntries(results.map((result) => [result.candidate_id.split("@")[1], result]));
    expect(byName.gold, run.stderr).toMatchObject({ applied: true, resolved: true, resolution: "FULL" });
    expect(byName.gold?.p2p.passed).toContain("tests/test_env.py::test_conda_testbed_active");
    expect(byName.empty).toMatchObject({ applied: true, resolved: false, resolution: "NO" });
    expect(byName.cheat).toMatchObject({ applied: true, resolved: false });
    expect(byName.cheat?.f2p.failed).toContain("tests/test_calc.py::test_add");
    for (const result of results) expect(result.error).toBeUndefined();

    // SWE-bench's steps ran in the activated conda environment: its `pip install -e .` (no pip in the fixture).
    const log = readFileSync(join(`${output.replace(/\.jsonl$/, "")}.logs`, id, `${id}@gold.log`), "utf8");
    expect(log).toContain("python -m pip install -e .");
    expect(log).toContain("/opt/miniconda3/envs/testbed/bin/python: No module named pip");
    expect(log).toMatch(/pytest -rA tests\/test_calc\.py/);

    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: ["io.swe-review.managed=1"] },
    });
    // Other test files may run containers meanwhile: only this image's count.
    expect(left.filter((container) => container.Image === image)).toEqual([]);
  }, 600_000);

  it("runs setup in the container without network, writes files there, removes the container and releases the image", async () => {
    const released: string[] = [];
    const environment = new ContainerEnvironment({
      container: {
        docker: engine.docker,
        prepareImage: async () => {},
        releaseImage: async (name) => {
          released.push(name);
        },
      },
      hostRoot: join(dir, "state"),
    });
    const request = {
      repo: "pallets/flask",
      baseCommit,
      env: { GREETING: "hi" },
      setupTimeoutMs: 60_000,
      image,
    };
    const offline =
      "python3 -c 'import urllib.request as u; u.urlopen(\"http://1.1.1.1\", timeout=5)' 2>/dev/null || echo offline";
    const prepared = await environment.prepare({
      ...request,
      setup: ["echo $GREETING > made.txt", offline],
    });
    try {
      expect(prepared.commit).toBe(baseCommit);
      expect(prepared.paths.testbed).toBe("/testbed");
      expect(prepared.setupLog).toContain("offline");
      await prepared.writeFile("/tmp/deep/note.txt", "written\n");
      const run = await prepared.exec("cat made.txt /tmp/deep/note.txt; git rev-parse HEAD", {
        timeoutMs: 30_000,
      });
      expect(run).toMatchObject({ exitCode: 0, timedOut: false });
      expect(run.output).toBe(`hi\nwritten\n${baseCommit}\n`);
    } finally {
      await prepared.dispose();
    }
    expect(released).toEqual([image]);

    const failed = environment.prepare({ ...request, setup: ["echo trying; exit 3"] });
    await expect(failed).rejects.toBeInstanceOf(SetupError);
    await expect(failed).rejects.toMatchObject({ log: expect.stringContaining("trying") });
    expect(released).toEqual([image, image]);
    const { image: _image, ...withoutImage } = request;
    await expect(environment.prepare({ ...withoutImage, setup: [] })).rejects.toMatchObject({
      code: "image_missing",
    });
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: ["io.swe-review.managed=1"] },
    });
    expect(left.filter((container) => container.Image === image)).toEqual([]);
  }, 300_000);
});
