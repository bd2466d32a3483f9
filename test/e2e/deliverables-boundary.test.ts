import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry, ScriptTurn } from "../../src/model/scripted/script.js";
import { runCli } from "../helpers/cli.js";
import { APPROVE_REPORT, fixtureFiles, makeFixtureRepo, REJECT_REPORT } from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

/**
 * What an agent leaves at `/review_report.json` or `/pr_content.json` is read by the host: each kind of thing
 * planted there from inside the sandbox must be refused without being read, and the verdict taken as when no
 * report is written (the finish message, else one forced report turn).
 */

const servers: MockOpenAIServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const SECRET = "HOST-SECRET-c41d9e";
const terminal = (command: string): ScriptTurn => ({
  toolCalls: [{ name: "terminal", arguments: { command } }],
});
const finish = (message: string): ScriptTurn => ({
  toolCalls: [{ name: "finish", arguments: { message } }],
});

/** A review by a scripted agent; the script may use the test's host folder (where the agent cannot look). */
async function review(script: (root: string) => ScriptEntry[]) {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  const server = await startMockServer({ script: script(files.root) });
  servers.push(server);
  const out = join(files.root, "out");
  const started = Date.now();
  const result = await runCli(
    [
      "review",
      "--repo",
      repo.dir,
      "--issue",
      files.issue,
      "--patch",
      files.symptom,
      "--base",
      base,
      "--out",
      out,
    ],
    { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 90_000 },
  );
  const read = (name: string) => readFileSync(join(out, name), "utf8");
  return {
    result,
    seconds: (Date.now() - started) / 1000,
    read,
    report: () => JSON.parse(read("report.json")),
  };
}

/** A host file the agent links to: an approving report carrying a secret. */
function hostSecretReport(root: string): string {
  const path = join(root, "host-report.json");
  const report = { ...APPROVE_REPORT, summary: { ...APPROVE_REPORT.summary, problem: SECRET } };
  writeFileSync(path, JSON.stringify(report));
  return path;
}

interface Plant {
  name: string;
  command: (root: string) => string;
  /** What the recorded reason says about the file. */
  reason: RegExp;
}

const PLANTS: Plant[] = [
  {
    name: "a symbolic link to a host file holding a secret",
    command: (root) => `ln -s ${hostSecretReport(root)} /review_report.json`,
    reason: /report file was not read: it is a symbolic link/,
  },
  { name: "a FIFO", command: () => "mkfifo /review_report.json", reason: /it is a FIFO/ },
  {
    name: "a symbolic link to /dev/zero",
    command: () => "ln -s /dev/zero /review_report.json",
    reason: /it is a symbolic link/,
  },
  {
    name: "an approving report over 1 MiB",
    command: () =>
      `cat > /tmp/r.json << 'EOF'\n${JSON.stringify(APPROVE_REPORT)}\nEOF\n` +
      `python3 -c "import json; r = json.load(open('/tmp/r.json')); r['summary']['problem'] += 'x' * 2000000; json.dump(r, open('/review_report.json', 'w'))"`,
    reason: /it is larger than 1048576 bytes/,
  },
  { name: "a directory", command: () => "mkdir /review_report.json", reason: /it is a directory/ },
];

describe.skipIf(NO_BWRAP)(
  skipTitle("swe-review review: the report file is read only if it is a plain file", NO_BWRAP),
  () => {
    it.each(
      PLANTS,
    )("$name at /review_report.json is not read; the verdict comes from the forced report turn", async (plant) => {
      const run = await review((root) => [
        terminal(plant.command(root)),
        finish("Review written to /review_report.json."),
        // the forced report turn: the reviewer's own verdict
        { content: JSON.stringify(REJECT_REPORT) },
      ]);
      expect(run.result.code, run.result.stderr).toBe(1); // request_changes
      expect(run.seconds).toBeLessThan(60);
      const report = run.report();
      expect(report).toMatchObject({ decision: "request_changes", source: "forced_turn" });
      expect(report.reason).toMatch(plant.reason);
      expect(run.result.stderr).toMatch(plant.reason); // logged too
      for (const text of [
        run.read("report.json"),
        run.read("trajectory.jsonl"),
        run.result.stdout,
        run.result.stderr,
      ]) {
        expect(text).not.toContain(SECRET);
      }
    });
  },
);

describe.skipIf(NO_BWRAP)(
  skipTitle("swe-review generate: /pr_content.json is read only if it is a plain file", NO_BWRAP),
  () => {
    it("a symbolic link to a host file is not read: the PR is N/A and the secret goes nowhere", async () => {
      const { repo, base } = makeFixtureRepo();
      const files = fixtureFiles();
      const hostFile = join(files.root, "host-pr.json");
      writeFileSync(hostFile, JSON.stringify({ pr_title: SECRET, pr_body: SECRET }));
      const server = await startMockServer({
        script: [
          terminal(
            `sed -i 's/"lb": 453.592}/"lb": 453.592, "oz": 28.3495}/' /testbed/inventory/units.py && ln -s ${hostFile} /pr_content.json`,
          ),
          finish("Fixed."),
        ],
      });
      servers.push(server);
      const out = join(files.root, "gen");
      const result = await runCli(
        ["generate", "--repo", repo.dir, "--base", base, "--issue", files.issue, "--out", out],
        { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 90_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(out, "pr.json"), "utf8"))).toEqual({
        pr_title: "N/A",
        pr_body: "N/A",
        source: "missing",
      });
      expect(result.stderr).toContain("it is a symbolic link");
      for (const text of [readFileSync(join(out, "result.json"), "utf8"), result.stdout, result.stderr]) {
        expect(text).not.toContain(SECRET);
      }
    });
  },
);

describe.skipIf(NO_BWRAP)(
  skipTitle("the verdict is the reviewer's: a background job cannot rewrite the report", NO_BWRAP),
  () => {
    it("a job rewriting /review_report.json to approve every 50 ms does not turn the reviewer's request_changes", async () => {
      const approve = JSON.stringify({
        ...APPROVE_REPORT,
        decision: { recommendation: "approve", confidence: 0.99 },
      });
      const run = await review(() => [
        // the job starts (as the candidate's code could start it when the reviewer runs the tests) ...
        terminal(
          `(while true; do printf '%s' '${approve}' > /review_report.json; sleep 0.05; done) > /dev/null 2>&1 &`,
        ),
        // ... then the reviewer writes its own report
        terminal(`cat > /review_report.json << 'EOF'\n${JSON.stringify(REJECT_REPORT)}\nEOF`),
        // and finishes after thinking for a while, as a real model does
        { fault: "delay", ms: 1_000, turn: finish("Review written to /review_report.json.") },
        // asked again (the file is not the reviewer's), it gives its own verdict
        { content: JSON.stringify(REJECT_REPORT) },
      ]);
      const report = run.report();
      expect(report.decision).toBe("request_changes");
      expect(report.report.decision.confidence).toBe(0.93);
      expect(run.result.code, run.result.stderr).toBe(1);
      // When the job outlives the reviewer's last command, the file it rewrote is set aside, and report.json says why.
      if (report.source !== "report_file") {
        expect(report.reason).toMatch(/changed after the agent's last command/);
      }
    });
  },
);
