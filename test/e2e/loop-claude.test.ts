import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readLoopRecord } from "../../src/loop/run-loop.js";
import {
  type MockAnthropicServer,
  startMockAnthropicServer,
} from "../../src/model/mock-server/anthropic-server.js";
import { type MockOpenAIServer, startMockServer } from "../../src/model/mock-server/server.js";
import type { ScriptEntry } from "../../src/model/scripted/script.js";
import { renderFeedback } from "../../src/review/render.js";
import { parseReviewReport } from "../../src/review/report.js";
import { installAgentCli } from "../helpers/agent-cli-install.js";
import { filesUnder } from "../helpers/agent-cli-run.js";
import { runCli } from "../helpers/cli.js";
import {
  APPROVE_REPORT,
  fixtureFiles,
  makeFixtureRepo,
  REJECT_REPORT,
  reviewerScript,
} from "../helpers/review-fixture.js";
import { skipTitle } from "../helpers/skip.js";

/** The loop with the real Claude Code as its generator (against our Anthropic mock) and a scripted reviewer. */
const installed = installAgentCli("claude", "@anthropic-ai/claude-code", "2.1");

const KEY = "sk-ant-loop-5e4d3c2b1a09f8e7d6c5";
const REPORT_PY = "/testbed/inventory/report.py";
const UNITS_PY = "/testbed/inventory/units.py";
const usage = { promptTokens: 900, completionTokens: 30, cachedTokens: 100, cacheWriteTokens: 50 };

/**
 * Sample 1 swallows the KeyError in report.py (a symptom fix). The revision, started from it (`--from-previous`),
 * shows the previous patch is in its workspace, undoes it with git and adds the ounce factor where it belongs.
 */
const CLAUDE_SCRIPT: ScriptEntry[] = [
  { toolCalls: [{ name: "Read", arguments: { file_path: REPORT_PY } }], usage },
  {
    toolCalls: [
      {
        name: "Edit",
        arguments: {
          file_path: REPORT_PY,
          old_string: "    return sum(to_grams(quantity, unit) for quantity, unit in items)",
          new_string:
            "    total = 0\n    for quantity, unit in items:\n        try:\n            total += to_grams(quantity, unit)\n        except KeyError:\n            continue\n    return total",
        },
      },
    ],
    usage,
  },
  { content: "Unknown units are skipped now.", usage },
  // the revision
  {
    toolCalls: [
      {
        name: "Bash",
        arguments: {
          command: `echo "previous patch: $(grep -c 'except KeyError' ${REPORT_PY})" && git -C /testbed checkout -- inventory/report.py`,
          description: "Undo the symptom fix",
        },
      },
    ],
    usage,
  },
  { toolCalls: [{ name: "Read", arguments: { file_path: UNITS_PY } }], usage },
  {
    toolCalls: [
      {
        name: "Edit",
        arguments: {
          file_path: UNITS_PY,
          old_string: '"lb": 453.592}',
          new_string: '"lb": 453.592, "oz": 28.3495}',
        },
      },
    ],
    usage,
  },
  {
    toolCalls: [
      {
        name: "Write",
        arguments: {
          file_path: "/pr_content.json",
          content: JSON.stringify({ pr_title: "fix: support ounces", pr_body: "FACTORS gains oz." }),
        },
      },
    ],
    usage,
  },
  { content: "Ounces are a unit now.", usage },
];

let anthropic: MockAnthropicServer | undefined;
let reviewer: MockOpenAIServer | undefined;
afterEach(async () => {
  await anthropic?.close();
  await reviewer?.close();
});

describe.skipIf(installed.skip)(skipTitle("swe-review loop --generator claude", installed.skip), () => {
  it("rejects Claude Code's symptom fix, gives it the feedback on top of its patch, approves the revision after 2 samples", async () => {
    const { repo, base } = makeFixtureRepo();
    const files = fixtureFiles();
    anthropic = await startMockAnthropicServer({ script: CLAUDE_SCRIPT, apiKey: KEY });
    reviewer = await startMockServer({
      script: [...reviewerScript(REJECT_REPORT), ...reviewerScript(APPROVE_REPORT)],
    });
    const out = join(files.root, "loop");
    const result = await runCli(
      [
        "loop",
        "--repo",
        repo.dir,
        "--base",
        base,
        "--issue",
        files.issue,
        "--out",
        out,
        "--generator",
        "claude",
        "--generator-network",
        "--generator-env",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "--generator-timeout",
        "180",
        "--from-previous",
        "--reviewer",
        "SWE-Review-30B-A3B",
        "--reviewer-base-url",
        reviewer.baseUrl,
        "--strategy",
        "iterative",
        "--budget",
        "3",
      ],
      {
        env: {
          ...files.env,
          PATH: `${installed.bin}:${files.env.PATH}`,
          ANTHROPIC_API_KEY: KEY,
          ANTHROPIC_BASE_URL: anthropic.baseUrl,
        },
        timeoutMs: 400_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const record = readLoopRecord(out);
    expect(record).toMatchObject({
      samples_spent: 2,
      reviewer_calls: 2,
      submitted: 2,
      outcome: "approved",
    });
    expect(record.samples.map((s) => [s.kind, s.generation.status, s.review?.decision])).toEqual([
      ["generation", "command_succeeded", "request_changes"],
      ["revision", "command_succeeded", "approve"],
    ]);
    // Sample 1 is the symptom fix; the submitted revision fixes the cause and leaves report.py alone.
    expect(readFileSync(join(out, "rounds", "01-generation", "candidate.patch"), "utf8")).toContain(
      "except KeyError",
    );
    const finalPatch = readFileSync(join(out, "final.patch"), "utf8");
    expect(finalPatch).toContain('+FACTORS = {"g": 1, "kg": 1000, "lb": 453.592, "oz": 28.3495}');
    expect(finalPatch).not.toContain("report.py");

    // The revision's instruction carried the reviewer's feedback, and its workspace held the previous patch.
    const reject = parseReviewReport(REJECT_REPORT);
    if (!reject.ok) throw new Error("fixture report");
    const bodies = anthropic.messageBodies;
    const revisionPrompt = bodies.find((body) => body.includes("## Review Feedback")) ?? "";
    expect(JSON.parse(revisionPrompt).messages[0].content).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: expect.stringContaining(renderFeedback(reject.report)) }),
      ]),
    );
    expect(revisionPrompt).toContain("Your previous patch is already applied");
    expect(bodies.some((body) => body.includes("previous patch: 1"))).toBe(true);

    // The generator's tokens and cost, as Claude Code reported them, are in the loop's accounting.
    for (const sample of record.samples) {
      expect(sample.generation.usage_report).toMatchObject({ version: 1, source: "cli" });
      expect(sample.generation.usage.prompt_tokens).toBeGreaterThan(0);
    }
    expect(record.tokens.generator_usage).toBe("reported");
    expect(record.tokens.generator.prompt_tokens).toBeGreaterThan(0);
    expect(record.tokens.generator.cost_usd).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/iterative: submitted sample 2 \(approved\) · samples spent 2\/3/);

    expect(repo.git("status", "--porcelain")).toBe("");
    for (const file of filesUnder(out)) expect(readFileSync(file, "utf8"), file).not.toContain(KEY);
  }, 420_000);
});
