import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../src/containers/engine.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { writeBenchSplit } from "../helpers/bench-split.js";
import { CLI, runCli } from "../helpers/cli.js";
import { fixtureFiles } from "../helpers/review-fixture.js";
import { skipTitle } from "../helpers/skip.js";
import { baseImageSkipReason, engineForTests, instanceImage } from "../support/container-images.js";
import { containersOf, until } from "../support/container-runs.js";

const engine = await engineForTests();
const skip = typeof engine === "string" ? engine : await baseImageSkipReason(engine);

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const report = (recommendation: string, confidence: number, note: string) =>
  JSON.stringify({
    decision: { recommendation, confidence },
    summary: { problem: note, solution: note, overall_assessment: note },
    defects: [],
  });

/**
 * The agent's first command: it looks for the supervisor (root, like the agent, but with capabilities the agent
 * lacks) and tries to read its descriptors and environment and to trace it, then leaves a loop behind that keeps
 * writing an approving report.
 */
const ATTACK = [
  "sup=$(grep -l 'supervisor/main.js' /proc/[0-9]*/cmdline 2>/dev/null | head -1 | cut -d/ -f3)",
  "echo SUP=$sup",
  "ls /proc/$sup/fd >/dev/null 2>&1 && echo FD=readable || echo FD=denied",
  "cat /proc/$sup/environ >/dev/null 2>&1 && echo ENV=readable || echo ENV=denied",
  `python -c "import ctypes,sys; libc=ctypes.CDLL(None, use_errno=True); r=libc.ptrace(16, int(sys.argv[1]), 0, 0); print('PTRACE=' + ('attached' if r == 0 else 'denied'))" $sup`,
  `(while true; do echo '${report("approve", 0.99, "forged")}' > /review_report.json 2>/dev/null; sleep 0.05; done) > /dev/null 2>&1 &`,
  "disown; echo ATTACKED",
].join("\n");

/** Items run one at a time (`-j 1`): the first reviewer writes its own report, the second links it elsewhere. */
let conversations = 0;
function hostileReviewer(body: Record<string, unknown>): ScriptEntry {
  const messages = body.messages as Array<{ role: string; content?: string }>;
  const step = messages.filter((message) => message.role === "assistant").length;
  if (step === 0) conversations++;
  const linked = conversations >= 2;
  const terminal = (command: string): ScriptEntry => ({
    toolCalls: [{ name: "terminal", arguments: { command } }],
  });
  if (step === 0) return terminal(ATTACK);
  if (step === 1) {
    return terminal(
      linked
        ? "rm -f /review_report.json; ln -s /etc/hostname /review_report.json; echo LINKED"
        : `sleep 1; cat > /review_report.json << 'EOF'\n${report("request_changes", 0.8, "own")}\nEOF\necho WROTE`,
    );
  }
  return { toolCalls: [{ name: "finish", arguments: { message: "done" } }] };
}

describe.skipIf(skip)(skipTitle("a hostile agent in a container", skip), () => {
  const docker = (engine as Engine).docker;

  it("cannot read or trace the supervisor, forge the verdict from the background, or have a linked report read; a killed swe-review leaves no container", async () => {
    const files = fixtureFiles();
    const root = mkdtempSync(join(tmpdir(), "swe-review-container-hostile-"));
    made.push(root, files.root);
    const { split, repoDir } = writeBenchSplit(root, 2);
    const base = JSON.parse(readFileSync(join(split, "instances.json"), "utf8")).instances[
      "demo__inventory-1"
    ].base_commit as string;
    const image = await instanceImage(engine as Engine, { name: "inventory", repoDir, baseCommit: base });
    const env = { ...files.env, DOCKER_HOST: process.env.DOCKER_HOST ?? "" };
    const args = (runDir: string) => [
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
    ];

    server = await startMockServer({ respond: async (body) => hostileReviewer(body) });
    const runDir = join(root, "run");
    const result = await runCli(args(runDir), {
      env: { ...env, SWE_REVIEW_BASE_URL: server.baseUrl },
      timeoutMs: 300_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const item = (id: string) =>
      JSON.parse(readFileSync(join(runDir, "instances", `${id}@fixture_split`, "result.json"), "utf8"));
    const trajectory = readFileSync(
      join(runDir, "instances", "demo__inventory-1@fixture_split", "trajectory.jsonl"),
      "utf8",
    );
    expect(trajectory).toMatch(/SUP=\d+/);
    for (const denied of ["FD=denied", "ENV=denied", "PTRACE=denied", "ATTACKED"]) {
      expect(trajectory).toContain(denied);
    }
    // The reviewer's own report, not the one the background loop kept writing.
    expect(item("demo__inventory-1").review.decision).toBe("request_changes");
    const own = JSON.parse(
      readFileSync(join(runDir, "instances", "demo__inventory-1@fixture_split", "report.json"), "utf8"),
    );
    expect(own).toMatchObject({ source: "report_file", report: { summary: { problem: "own" } } });
    // A report linked elsewhere is not read.
    const linked = readFileSync(
      join(runDir, "instances", "demo__inventory-2@fixture_split", "report.json"),
      "utf8",
    );
    expect(linked).toMatch(/symbolic link/);
    expect(item("demo__inventory-2").review.decision).not.toBe("approve");

    // swe-review killed outright: its container ends with it (its stdin closes), long before the wall-time limit.
    await server.close();
    server = await startMockServer({
      respond: async () => ({ toolCalls: [{ name: "terminal", arguments: { command: "sleep 600" } }] }),
    });
    const child = spawn(process.execPath, [CLI, ...args(join(root, "killed"))], {
      env: { ...process.env, ...env, SWE_REVIEW_BASE_URL: server.baseUrl },
      stdio: ["ignore", "ignore", "ignore"],
    });
    const exited = new Promise((resolve) => child.on("close", resolve));
    const run = "review demo__inventory-1";
    const running = async () => (await containersOf(docker, run)).some((c) => c.State === "running");
    expect(await until(running, 120_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGKILL");
    await exited;
    expect(await until(async () => (await containersOf(docker, run)).length === 0, 20_000)).toBe(true);
  }, 600_000);
});
