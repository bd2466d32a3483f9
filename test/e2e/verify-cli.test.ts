import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VerifyResultSchema } from "../../src/harness/run/verify-result.js";
import { CLI, runCli } from "../helpers/cli.js";
import { NO_DEBIAN_PYTEST, pythonFixture } from "../helpers/harness-fixtures.js";
import { HAS_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";
import { waitUntil } from "../helpers/wait.js";

function setup() {
  const fixture = pythonFixture("demo__calc-7");
  const dir = mkdtempSync(join(tmpdir(), "swe-review-verify-cli-"));
  const { dataset: _, ...row } = fixture.instance;
  const dataset = join(dir, "instances.jsonl");
  writeFileSync(dataset, `${JSON.stringify(row)}\n`);
  writeFileSync(
    join(dir, ".swe-review.yaml"),
    "test:\n  repo: demo/calc\n  command: '{python} -m pytest -rA {test_files}'\n  parser: pytest\n",
  );
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    XDG_CACHE_HOME: join(dir, "cache"),
    XDG_CONFIG_HOME: join(dir, "config"),
  };
  const cli = (args: string[]) =>
    runCli(
      [
        "verify",
        "--dataset",
        dataset,
        "--repo",
        `demo/calc=${fixture.repo.dir}`,
        ...(HAS_BWRAP ? [] : ["--sandbox", "local"]),
        ...args,
      ],
      { cwd: dir, env, timeoutMs: 60_000 },
    );
  return { fixture, dir, dataset, cli };
}

function lines(path: string) {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => VerifyResultSchema.parse(JSON.parse(line)));
}

describe.skipIf(NO_DEBIAN_PYTEST)(skipTitle("swe-review verify", NO_DEBIAN_PYTEST), () => {
  it("writes one line per candidate for gold, empty and a candidates file, skips finished ones and keeps logs", async () => {
    const { fixture, dir, cli } = setup();
    const output = join(dir, "results.jsonl");
    const gold = await cli(["--candidates", "gold", "--output", output]);
    expect(gold.code, gold.stderr).toBe(0);
    expect(gold.stderr).toMatch(/\[1\/1\] demo__calc-7@gold resolved \(FULL/);
    expect(JSON.parse(gold.stdout)).toMatchObject({ total: 1, resolved: 1, errors: 0 });
    const [line] = lines(output);
    expect(line).toMatchObject({ candidate_id: "demo__calc-7@gold", applied: true, resolved: true });
    expect(readFileSync(line?.log ?? "", "utf8")).toContain(">>>>> Start Test Output");

    // Re-run: nothing to do.
    const again = await cli(["--candidates", "gold", "--output", output]);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 1, skipped: 1, verified: 0 });
    expect(lines(output)).toHaveLength(1);

    const candidates = join(dir, "preds.jsonl");
    writeFileSync(
      candidates,
      `${JSON.stringify({ instance_id: "demo__calc-7", model_name_or_path: "m/x", model_patch: fixture.gold })}\n` +
        `${JSON.stringify({ candidate_id: "broken", instance_id: "demo__calc-7", model_patch: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" })}\n`,
    );
    const mixed = await cli(["--candidates", candidates, "--output", output, "-j", "2"]);
    expect(mixed.code, mixed.stderr).toBe(0);
    const byId = new Map(lines(output).map((result) => [result.candidate_id, result]));
    expect(byId.get("demo__calc-7@m/x")).toMatchObject({ resolved: true });
    expect(byId.get("broken")).toMatchObject({ applied: false, resolved: false, resolution: "NO" });
  });

  it("drops a line cut short by a crash and error lines on resume, so those candidates run again", async () => {
    const { dir, cli } = setup();
    const output = join(dir, "results.jsonl");
    const errored = {
      candidate_id: "demo__calc-7@empty",
      instance_id: "demo__calc-7",
      applied: null,
      resolved: null,
      resolution: null,
      f2p: { passed: [], failed: [] },
      p2p: { passed: [], failed: [] },
      seconds: 1,
      error: "sandbox_start_failed: x",
    };
    writeFileSync(output, `${JSON.stringify(errored)}\n{"candidate_id":"demo__calc-7@go`);
    const result = await cli(["--candidates", "empty", "--output", output]);
    expect(result.code, result.stderr).toBe(0);
    const [line, ...rest] = lines(output);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ candidate_id: "demo__calc-7@empty", resolved: false });
    expect(line?.error).toBeUndefined();
  });

  it("rejects bad input with exit 3 and a message naming it", async () => {
    const { dir, dataset, cli } = setup();
    const output = join(dir, "out.jsonl");
    const unknown = await cli(["--candidates", "gold", "--instances", "nope__x-1", "--output", output]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(`--instances names an instance not in ${dataset}: nope__x-1`);

    const stray = join(dir, "stray.jsonl");
    writeFileSync(
      stray,
      `${JSON.stringify({ candidate_id: "s", instance_id: "other__y-2", model_patch: "" })}\n`,
    );
    const strays = await cli(["--candidates", stray, "--output", output]);
    expect(strays.code).toBe(3);
    expect(strays.stderr).toMatch(/stray\.jsonl has candidates for 1 instance not in .*other__y-2/);

    const missing = await cli(["--candidates", join(dir, "none.jsonl"), "--output", output]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(
      /--candidates \S*none\.jsonl: no such file or folder\. Give an existing file, or 'gold' or 'empty'/,
    );

    const jobs = await cli(["--candidates", "gold", "--output", output, "-j", "0"]);
    expect(jobs.code).toBe(3);
    expect(jobs.stderr).toContain("-j 0: expected a positive whole number");

    writeFileSync(output, "not json\n");
    const notResults = await cli(["--candidates", "gold", "--output", output]);
    expect(notResults.code).toBe(3);
    expect(notResults.stderr).toContain("line 1 is not JSON: it is not a verify results file");
  });

  it("stops on Ctrl-C with exit 130, the candidate in flight recorded as stopped", async () => {
    const { dir, dataset, fixture } = setup();
    // A test command slow enough to be interrupted.
    writeFileSync(
      join(dir, ".swe-review.yaml"),
      "test:\n  repo: demo/calc\n  command: 'sleep 3; {python} -m pytest -rA {test_files}'\n  parser: pytest\n",
    );
    const output = join(dir, "results.jsonl");
    const child = spawn(
      process.execPath,
      [
        CLI,
        "verify",
        "--dataset",
        dataset,
        "--repo",
        `demo/calc=${fixture.repo.dir}`,
        "--candidates",
        "gold",
      ].concat(HAS_BWRAP ? [] : ["--sandbox", "local"], ["--output", output]),
      { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir, XDG_CACHE_HOME: join(dir, "cache") } },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    await waitUntil(() => stderr.includes("verify: 1 candidates"), "verify to start");
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("stopping: no new candidates start");
    // The candidate in flight is stopped: an error line, which the same command drops and runs again.
    expect(lines(output).map((line) => line.error)).toEqual([
      "aborted: verification was stopped before it finished",
    ]);
  });
});
