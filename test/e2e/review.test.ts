import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { readTrajectory } from "../../src/trajectory/reader.js";
import { runCli } from "../helpers/cli.js";
import {
  APPROVE_REPORT,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
} from "../helpers/review-fixture.js";
import { NO_BWRAP } from "../helpers/sandbox.js";
import { skipTitle } from "../helpers/skip.js";

let server: MockOpenAIServer | undefined;
afterEach(async () => server?.close());

async function review(
  script: ScriptEntry[],
  args: string[],
  options: { mode?: "native" | "hermes"; patch?: "correct" | "symptom" | "empty" } = {},
) {
  const { repo, base } = makeFixtureRepo();
  const files = fixtureFiles();
  server = await startMockServer({ script, ...(options.mode ? { mode: options.mode } : {}) });
  const out = join(files.root, "out");
  const before = {
    status: repo.git("status", "--porcelain"),
    head: repo.git("rev-parse", "HEAD"),
    refs: repo.git("for-each-ref"),
  };
  const patchArgs = options.patch === undefined ? [] : ["--patch", files[options.patch], "--base", base];
  const result = await runCli(
    ["review", "--repo", repo.dir, "--issue", files.issue, ...patchArgs, "--out", out, ...args],
    { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 120_000 },
  );
  expect({
    status: repo.git("status", "--porcelain"),
    head: repo.git("rev-parse", "HEAD"),
    refs: repo.git("for-each-ref"),
  }).toEqual(before);
  const readJson = (name: string) => JSON.parse(readFileSync(join(out, name), "utf8"));
  return {
    result,
    repo,
    base,
    files,
    out,
    report: () => readJson("report.json"),
    trajectory: () => readTrajectory(join(out, "trajectory.jsonl")).events,
    server,
  };
}

function observations(events: ReturnType<typeof readTrajectory>["events"]): string {
  return events
    .flatMap((event) => (event.type === "step" ? event.observations.map((o) => o.content) : []))
    .join("\n");
}

// The scripted reviewer uses the sandbox's paths (/testbed, /review_data, /review_report.json): bubblewrap is
// needed (CI installs it).
describe.skipIf(NO_BWRAP)(skipTitle("swe-review review (agentic, against the mock server)", NO_BWRAP), () => {
  it("approves a root-cause fix after running the code, exit 0", async () => {
    const run = await review(reviewerScript(APPROVE_REPORT), [], { patch: "correct" });
    expect(run.result.stderr).not.toMatch(/error/i);
    expect(run.result.code).toBe(0);
    expect(run.result.stdout).toMatch(/^## swe-review: Approve \(confidence 0\.95\)/);
    expect(run.result.stdout).toMatch(/verdict from the report file/);
    const report = run.report();
    expect(report).toMatchObject({
      decision: "approve",
      source: "report_file",
      status: "finished",
      mode: "agentic",
    });
    expect(report.report.decision.confidence).toBe(0.95);
    expect(report.usage.prompt_tokens).toBeGreaterThan(0);
    const events = run.trajectory();
    const seen = observations(events);
    expect(seen).toContain("total_weight() crashes with KeyError: 'oz'");
    expect(seen).toMatch(/PR: N\/A\n ?M inventory\/units\.py\n/);
    expect(seen).toMatch(/\n56\.699\n\[The command completed with exit code 0\.\]/);
    expect(seen).toMatch(/Ran 2 tests[\s\S]*OK/);
    expect(seen).toContain("OK: approve");
    expect(seen).not.toContain("later.py");
    expect(events.at(-1)).toMatchObject({ type: "result", result: { decision: "approve" } });
    expect(events.filter((event) => event.type === "step")).toHaveLength(7);
  });

  it("requests changes for a symptom fix, with the defect at the root cause, exit 1", async () => {
    const run = await review(reviewerScript(REJECT_REPORT), ["--format", "markdown"], { patch: "symptom" });
    expect(run.result.code).toBe(1);
    expect(run.result.stdout).toMatch(/^## swe-review: Request changes \(confidence 0\.93\)/);
    expect(run.result.stdout).toMatch(/1\. \*\*high\*\* · correctness · `inventory\/units\.py:1`/);
    const seen = observations(run.trajectory());
    expect(seen).toMatch(/\n ?M inventory\/report\.py\n/);
    expect(seen).toMatch(/\n0\n\[The command completed with exit code 0\.\]/); // the symptom fix drops the ounces
    expect(run.report().report.defects[0].location.path).toBe("inventory/units.py");
  });

  it("still returns a verdict when the agent runs out of steps, through a final report request", async () => {
    const explore = (n: number) => ({
      toolCalls: [{ name: "terminal", arguments: { command: `echo exploring ${n}` } }],
    });
    const run = await review(
      [explore(1), explore(2), explore(3), { content: JSON.stringify(REJECT_REPORT) }],
      ["--max-steps", "2", "--format", "json"],
      { patch: "symptom" },
    );
    expect(run.result.code).toBe(1);
    const printed = JSON.parse(run.result.stdout);
    expect(printed).toMatchObject({
      decision: "request_changes",
      source: "forced_turn",
      status: "max_steps",
    });
    expect(printed.reason).toMatch(/the run ended with max_steps; no report file was written/);
    const bodies = run.server.chatBodies.map((body) => JSON.parse(body));
    expect(bodies).toHaveLength(4);
    expect(bodies[2].messages.at(-1).content).toMatch(/step limit \(2 steps\)/);
    expect(bodies[3].response_format.type).toBe("json_schema");
    expect(bodies[3].tool_choice).toBe("none");
    expect(run.trajectory().filter((event) => event.type === "step")).toHaveLength(4);
  });

  it("ends with exit 2 and the reason when the model answers garbage", async () => {
    const run = await review(
      [{ content: "I think it is probably fine." }, { content: "still no json" }],
      [],
      { patch: "correct" },
    );
    expect(run.result.code).toBe(2);
    expect(run.result.stdout).toMatch(/## swe-review: no verdict/);
    expect(run.result.stdout).toMatch(/final message: no JSON object found/);
    expect(run.report()).toMatchObject({ decision: null, report: null });
    const events = run.trajectory();
    expect(events.at(-1)).toMatchObject({ type: "result", result: { decision: null } });
    expect(events.filter((event) => event.type === "step")).toHaveLength(2);
  });

  it("works with a server that has no tool parser, using --tool-calls text", async () => {
    const run = await review(reviewerScript(APPROVE_REPORT), ["--tool-calls", "text"], {
      mode: "hermes",
      patch: "correct",
    });
    expect(run.result.code).toBe(0);
    expect(run.report()).toMatchObject({ decision: "approve", source: "report_file" });
    const first = JSON.parse(run.server.chatBodies[0] ?? "{}");
    expect(first.tools).toBeUndefined();
    expect(first.messages[0].content).toContain("<tools>");
    expect(observations(run.trajectory())).toMatch(/\n56\.699\n/);
  });

  it("reads calls vLLM hands back as text when one of them is malformed (all-or-nothing fallback)", async () => {
    const script = reviewerScript(APPROVE_REPORT);
    // A raw newline inside a JSON string: vLLM's parser gives up and returns every call of the turn as text.
    script[3] = {
      toolCalls: [
        {
          name: "terminal",
          arguments:
            '{"command": "cd /testbed && python3 -c \\"from inventory.report import total_weight\nprint(total_weight([(2, \'oz\')]))\\""}',
        },
      ],
    };
    const run = await review(script, [], { patch: "correct" });
    expect(run.result.code).toBe(0);
    const steps = run.trajectory().filter((event) => event.type === "step");
    expect(steps[3]?.type === "step" && steps[3].response.toolCallSource).toBe("text");
    expect(observations(run.trajectory())).toMatch(/\n56\.699\n/);
  });

  it("reviews the working tree's changes with --diff-from, new files included, without touching them", async () => {
    const { repo } = makeFixtureRepo();
    const files = fixtureFiles();
    repo.write({
      "inventory/units.py":
        'FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}\n\n\ndef to_grams(quantity, unit):\n    return quantity * FACTORS[unit]\n',
      "tests/test_ounces.py": "import unittest\n",
    });
    const status = repo.git("status", "--porcelain");
    server = await startMockServer({
      script: [
        {
          toolCalls: [
            {
              name: "terminal",
              arguments: {
                command:
                  "python3 -c \"import json; print(json.load(open('/review_data/predicted.json'))['patch'])\"",
              },
            },
          ],
        },
        { content: JSON.stringify(APPROVE_REPORT) },
      ],
    });
    const result = await runCli(
      [
        "review",
        "--repo",
        repo.dir,
        "--issue",
        files.issue,
        "--diff-from",
        "HEAD",
        "--out",
        join(files.root, "out"),
      ],
      { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl }, timeoutMs: 120_000 },
    );
    expect(result.code).toBe(0);
    expect(repo.git("status", "--porcelain")).toBe(status);
    const events = readTrajectory(join(files.root, "out", "trajectory.jsonl")).events;
    const seen = observations(events);
    expect(seen).toContain('+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}');
    expect(seen).toContain("tests/test_ounces.py");
  });
});

describe("swe-review review: decisions without a model, and bad input", () => {
  it("requests changes for an empty patch and for one that does not apply, without a model call", async () => {
    const empty = await review([], [], { patch: "empty" });
    expect(empty.result.code).toBe(1);
    expect(empty.report()).toMatchObject({ decision: "request_changes", source: "precheck" });
    expect(empty.result.stdout).toMatch(/The patch is empty/);
    expect(empty.server.chatBodies).toHaveLength(0);

    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const stale = join(files.root, "stale.diff");
    writeFileSync(stale, readFileSync(files.correct, "utf8").replace('"lb": 453.592}', '"lb": 999}'));
    server = await startMockServer({ script: [] });
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
        stale,
        "--out",
        join(files.root, "o"),
        "--sandbox",
        "local",
      ],
      { env: { ...files.env, SWE_REVIEW_BASE_URL: server.baseUrl } },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/does not apply to the base commit/);
    expect(server.chatBodies).toHaveLength(0);
  });

  it("exits 3 with a message naming the input", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    const env = { ...files.env, SWE_REVIEW_BASE_URL: "http://127.0.0.1:9/v1" };
    const cases: Array<[string[], RegExp]> = [
      [
        ["--issue", join(files.root, "nope.txt"), "--patch", files.correct, "--base", base],
        /--issue .*nope\.txt: no such file/,
      ],
      [
        ["--issue", files.issue, "--patch", files.correct, "--base", "no-such-rev"],
        /Revision 'no-such-rev' does not exist/,
      ],
      [["--issue", files.issue, "--patch", files.correct], /--base <rev> is required/],
      [["--issue", files.issue, "--base", base], /--patch <file> or --diff-from <rev>/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(["review", "--repo", repo.dir, ...args], { env });
      expect(result.code, args.join(" ")).toBe(3);
      expect(result.stderr).toMatch(message);
    }
    const binary = join(files.root, "binary.diff");
    writeFileSync(binary, Buffer.from([0x64, 0x69, 0x66, 0x66, 0x00, 0xff]));
    const binaryResult = await runCli(
      ["review", "--repo", repo.dir, "--issue", files.issue, "--patch", binary, "--base", base],
      { env },
    );
    expect(binaryResult.code).toBe(3);
    expect(binaryResult.stderr).toMatch(/binary data/);
    const notGit = await runCli(
      ["review", "--repo", files.root, "--issue", files.issue, "--patch", files.correct, "--base", "HEAD"],
      { env },
    );
    expect(notGit.code).toBe(3);
    expect(notGit.stderr).toMatch(/is not a git repository/);
    const noModel = await runCli(
      ["review", "--repo", repo.dir, "--issue", files.issue, "--patch", files.correct, "--base", base],
      {
        env: { ...files.env, SWE_REVIEW_MODEL: "" },
      },
    );
    expect(noModel.code).toBe(3);
    expect(noModel.stderr).toMatch(/No model is configured/);
  });

  it("warns about a patch over 50 KB and reviews it anyway", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `+WEIGHT_${i} = ${i * 1000}  # grams`);
    const big = join(mkdtempSync(join(tmpdir(), "swe-review-big-")), "big.patch");
    writeFileSync(
      big,
      `diff --git a/inventory/table.py b/inventory/table.py\nnew file mode 100644\n--- /dev/null\n+++ b/inventory/table.py\n@@ -0,0 +1,3000 @@\n${lines.join("\n")}\n`,
    );
    const run = await review(
      [{ content: `\`\`\`json\n${JSON.stringify(REJECT_REPORT)}\n\`\`\`` }],
      ["--patch", big, "--base", "HEAD~1", "--mode", "single-turn-diff", "--sandbox", "local"],
    );
    const warnings = run.result.stderr.split("\n").filter((line) => /50 KB/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: the patch is 9\d KB \(over 50 KB\); reviewing it anyway$/);
    expect(run.result.code).toBe(1);
    expect(run.report()).toMatchObject({ decision: "request_changes", source: "final_message" });
    expect(run.server.chatBodies).toHaveLength(1);
  });

  it("runs the single-turn diff baseline: one call, no tools, the same report", async () => {
    const run = await review(
      [{ content: `\`\`\`json\n${JSON.stringify(REJECT_REPORT)}\n\`\`\`` }],
      ["--mode", "single-turn-diff", "--sandbox", "local"],
      {
        patch: "symptom",
      },
    );
    expect(run.result.code).toBe(1);
    expect(run.result.stdout).toMatch(/^_single-turn-diff review by SWE-Review-30B-A3B · 1 step · /m);
    expect(run.report()).toMatchObject({
      decision: "request_changes",
      mode: "single-turn-diff",
      source: "final_message",
    });
    const body = JSON.parse(run.server.chatBodies[0] ?? "{}");
    expect(body.tools).toBeUndefined();
    expect(body.max_tokens).toBe(4096);
    expect(body.messages[1].content).toMatch(
      /^## Issue\n\ntotal_weight\(\) crashes[\s\S]*## Candidate Patch\n\n```diff\ndiff --git a\/inventory\/report\.py/,
    );
  });
});
