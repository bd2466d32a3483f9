import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptTurn } from "../../src/model/scripted/script.js";
import { runCli } from "../helpers/cli.js";
import { APPROVE_REPORT, fixtureFiles, makeFixtureRepo, REJECT_REPORT } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

const servers: MockOpenAIServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const terminal = (command: string): ScriptTurn => ({
  toolCalls: [{ name: "terminal", arguments: { command } }],
});

const APPROVE = JSON.stringify({
  ...APPROVE_REPORT,
  decision: { recommendation: "approve", confidence: 0.99 },
});
/** Python that rewrites the report to an approval every 50 ms, for half a minute. */
const REWRITE_LOOP = [
  "import time as _time",
  "open('/tmp/planted', 'w').write('PLANTER-RAN')",
  "for _ in range(600):",
  `    open('/review_report.json', 'w').write(${JSON.stringify(APPROVE)})`,
  "    _time.sleep(0.05)",
];

/**
 * Ways a candidate's code, run by the reviewer's tests, leaves something behind that rewrites /review_report.json:
 * the issue's reproduction (a daemon: double fork), a process whose thread-group leader exited (it shows as a zombie
 * while its other thread runs on), and a process made the shell's child with clone(CLONE_PARENT), as if it were one
 * of the shell's jobs.
 */
const PLANTERS: Record<string, string[]> = {
  "a daemon (double fork)": [
    "import os as _os, time as _wait",
    "if _os.fork() == 0:",
    "    _os.setsid()",
    "    if _os.fork() == 0:",
    ...REWRITE_LOOP.map((line) => `        ${line}`),
    // The middle process leaves (orphaning the daemon) once the daemon has written, so the test knows it ran.
    "    while not _os.path.exists('/tmp/planted'): _wait.sleep(0.01)",
    "    _os._exit(0)",
    "else:",
    "    _os.wait()",
  ],
  "a thread group whose leader exited (a zombie that runs)": [
    "import ctypes as _ctypes, os as _os, threading as _threading, time as _wait",
    "if _os.fork() == 0:",
    "    _os.setsid()",
    "    if _os.fork() == 0:",
    "        def _loop():",
    ...REWRITE_LOOP.map((line) => `            ${line}`),
    "        _threading.Thread(target=_loop).start()",
    "        while not _os.path.exists('/tmp/planted'): _wait.sleep(0.01)",
    "        _ctypes.CDLL(None).syscall(60, 0)  # SYS_exit: only the leader ends",
    "    _os._exit(0)",
    "else:",
    "    _os.wait()",
  ],
  "a sibling of the test process (clone with CLONE_PARENT)": [
    "import ctypes as _ctypes, os as _os, time as _wait",
    "if _ctypes.CDLL(None).syscall(56, 0x8000 | 17, 0, 0, 0, 0) == 0:  # clone(CLONE_PARENT | SIGCHLD)",
    "    _null = _os.open('/dev/null', _os.O_WRONLY); _os.dup2(_null, 1); _os.dup2(_null, 2)  # holds no pipe",
    `    _os.execvp('python3', ['python3', '-c', ${JSON.stringify(REWRITE_LOOP.join("\n"))}])`,
    "while not _os.path.exists('/tmp/planted'): _wait.sleep(0.01)",
  ],
};

function plantingPatch(planter: string[]): string {
  const lines = [...planter, ""];
  return `diff --git a/inventory/report.py b/inventory/report.py
--- a/inventory/report.py
+++ b/inventory/report.py
@@ -1,3 +1,${lines.length + 3} @@
+${lines.join("\n+")}
 from .units import to_grams
 
 
`;
}

describe.skipIf(NO_BWRAP)(skipTitle("a candidate cannot write the verdict", NO_BWRAP), () => {
  it.each(
    Object.entries(PLANTERS),
  )("%s, started by the candidate's code in the reviewer's tests, dies with that command", async (_name, planter) => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const patch = join(files.root, "planting.diff");
    writeFileSync(patch, plantingPatch(planter));
    const server = await startMockServer({
      script: [
        // The reviewer applies the patch and runs the tests: the candidate's code forks its daemon.
        terminal(
          "python3 -c \"import json; print(json.load(open('/review_data/predicted.json'))['patch'])\" > /tmp/p.diff && " +
            "cd /testbed && git apply /tmp/p.diff && python3 -m unittest tests.test_units 2>&1 | tail -1",
        ),
        // The daemon had written its approval; the reviewer looks, then writes its own verdict.
        terminal(
          `cat /tmp/planted; echo; sleep 0.5; cat > /review_report.json << 'EOF'\n${JSON.stringify(REJECT_REPORT)}\nEOF`,
        ),
        {
          fault: "delay",
          ms: 1_000,
          turn: { toolCalls: [{ name: "finish", arguments: { message: "Done." } }] },
        },
      ],
    });
    servers.push(server);
    const out = join(files.root, "out");
    const result = await runCli(
      ["review", "--repo", repo.dir, "--issue", files.issue, "--patch", patch, "--base", base, "--out", out],
      { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 90_000 },
    );
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const trajectory = readFileSync(join(out, "trajectory.jsonl"), "utf8");
    // What the candidate left ran (it said so before rewriting the report).
    expect(trajectory).toContain("PLANTER-RAN");
    // It was killed when the test command ended, so the reviewer's report is the one read, as written.
    expect(report.decision, result.stderr).toBe("request_changes");
    expect(report.source).toBe("report_file");
    expect(report.report.decision.confidence).toBe(0.93);
    expect(result.code).toBe(1);
  });
});

describe.skipIf(NO_BWRAP)(skipTitle("a candidate cannot cut a review short", NO_BWRAP), () => {
  it("killing the supervisor from the reviewer's tests ends the review as a failure, not a verdict", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const patch = join(files.root, "killing.diff");
    writeFileSync(
      patch,
      plantingPatch([
        "import os as _os",
        "_supervisor = int(open('/proc/%d/stat' % _os.getppid()).read().rsplit(')', 1)[1].split()[1])",
        "_os.kill(_supervisor, 9)",
      ]),
    );
    const server = await startMockServer({
      script: [
        terminal(
          "python3 -c \"import json; print(json.load(open('/review_data/predicted.json'))['patch'])\" > /tmp/p.diff && " +
            "cd /testbed && git apply /tmp/p.diff && python3 -m unittest tests.test_units 2>&1 | tail -1",
        ),
        // What a model does after its tools fail: it gives up and says something.
        { toolCalls: [{ name: "finish", arguments: { message: JSON.stringify(REJECT_REPORT) } }] },
      ],
    });
    servers.push(server);
    const out = join(files.root, "out");
    const result = await runCli(
      ["review", "--repo", repo.dir, "--issue", files.issue, "--patch", patch, "--base", base, "--out", out],
      { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 90_000 },
    );
    expect(result.stderr).toMatch(/sandbox stopped while the agent worked .*its result was not used/);
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toMatch(/request_changes|approve/i);
  });
});
