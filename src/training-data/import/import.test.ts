import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { qwen3TemplateSources, renderWithTemplate } from "../../../test/helpers/qwen3-template.js";
import { recordReview, reviewTurns } from "../../../test/helpers/review-run.js";
import { fromOpenAiMessages, fromOpenAiTools } from "../../trajectory/formats/openai-chat.js";
import { readTrajectory } from "../../trajectory/reader.js";
import { loadSamples } from "../dataset/load-samples.js";
import { type ExportOptions, exportTrajectories } from "../export/export.js";
import { trainingConversation } from "../export/prepare.js";
import type { ShareGptMessage } from "../export/sharegpt.js";
import { compileMaskPatterns, DEFAULT_MASK_PATTERNS } from "../export/turn-mask.js";
import { llamaFactoryQwen3Text } from "../export/validate-sharegpt.js";
import { importAtif } from "./atif.js";
import { importSweReviewTraj } from "./swe-review-traj.js";
import { writeImportedRun } from "./write-run.js";

const temp = (name: string) => mkdtempSync(join(tmpdir(), `swe-review-${name}-`));

function exportOptions(inputs: string[], overrides: Partial<ExportOptions> = {}): ExportOptions {
  return {
    inputs,
    outDir: temp("out"),
    format: "llamafactory",
    filters: { keep: "correct", maxPatchBytes: 51_200, statuses: ["finished"] },
    cutoffLen: 131_072,
    overCutoff: "drop",
    maskPatterns: compileMaskPatterns(DEFAULT_MASK_PATTERNS),
    datasetName: "d",
    baseModel: "Qwen/Qwen3-8B",
    gpus: 8,
    env: {},
    ...overrides,
  };
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Rows shaped like SWE-Lego/SWE-Review-Traj: OpenAI messages as JSON text, tools as JSON text. */
const tools = [
  {
    type: "function",
    function: {
      name: "terminal",
      description: "Execute a bash command; you’ll see the output.",
      parameters: {
        type: "object",
        properties: { command: { type: "string", description: "The command." } },
        required: ["command"],
      },
    },
  },
];
const row = (decision: string, resolved: boolean) => ({
  messages: JSON.stringify([
    { role: "system", content: "You are OpenHands agent." },
    {
      role: "user",
      content: [
        { type: "text", text: "# Code Review Task" },
        { type: "text", text: "Review it." },
      ],
    },
    {
      role: "assistant",
      content: null,
      reasoning_content: "Look at the diff first.",
      tool_calls: [
        {
          id: "c1",
          type: "function",
          function: { name: "terminal", arguments: '{"command":"git diff","timeout":10.0}' },
        },
      ],
    },
    {
      role: "tool",
      tool_call_id: "c1",
      name: "terminal",
      content: "diff --git a/ü b/ü\n[Command finished with exit code 0]",
    },
    { role: "tool", tool_call_id: "zz", content: "Tool browser is not registered. (arguments: {})" },
    { role: "assistant", content: `Decision: ${decision}`, reasoning_content: "Done." },
  ]),
  tools: JSON.stringify(tools),
  decision,
  patch_resolved: resolved,
});

describe("import of SWE-Review-Traj rows", () => {
  it("round trip: rows → import → export renders what the real template renders from the rows", async () => {
    const file = join(temp("rows"), "rows.jsonl");
    const rows = [row("approve", true), row("request_changes", false), row("approve", false)];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
    const run = temp("run");
    const dirs = writeImportedRun(run, await importSweReviewTraj(file, "2026-01-01T00:00:00.000Z"));
    expect(dirs).toHaveLength(3);
    const result = exportTrajectories(exportOptions([run]));
    const stats = JSON.parse(readFileSync(result.statsFile, "utf8"));
    expect(stats).toMatchObject({ inputs: 3, kept: 2, dropped: { decision_incorrect: 1 } });
    const records = lines(result.dataFile);
    records.forEach((record, index) => {
      const original = rows[index];
      if (!original) throw new Error("row missing");
      // what the released pipeline renders: the row's messages (invalid observation dropped), its tools
      const { messages } = fromOpenAiMessages(original.messages, "row");
      for (const source of qwen3TemplateSources()) {
        const expected = renderWithTemplate(
          source,
          trainingConversation(messages),
          fromOpenAiTools(original.tools, "row"),
          {
            parsedArguments: true,
          },
        );
        const text = llamaFactoryQwen3Text(record.messages as ShareGptMessage[]);
        // jinja (JavaScript) prints the float 10.0 as 10; Python's tojson, and our export, keep 10.0
        expect(text.replace('"timeout": 10.0', '"timeout": 10')).toBe(expected);
      }
    });
    const text = llamaFactoryQwen3Text(records[0]?.messages as ShareGptMessage[]);
    expect(text).toContain('{"name": "terminal", "arguments": {"command": "git diff", "timeout": 10.0}}');
    expect(text).toContain("# Code Review Task\nReview it.");
    expect(text).not.toContain("is not registered");
  });

  it("exports rows again as OpenAI JSONL that imports to the same conversation", async () => {
    const file = join(temp("rows"), "rows.json");
    writeFileSync(file, JSON.stringify([row("approve", true)]));
    const run = temp("run");
    writeImportedRun(run, await importSweReviewTraj(file, "2026-01-01T00:00:00.000Z"));
    const openai = exportTrajectories(exportOptions([run], { format: "openai" }));
    const again = temp("run2");
    writeImportedRun(again, await importSweReviewTraj(openai.dataFile, "2026-01-01T00:00:00.000Z"));
    const [first] = [...loadSamples([run])];
    const [second] = [...loadSamples([again])];
    expect(second?.messages).toEqual(trainingConversation(first?.messages ?? []));
    expect(second?.tools).toEqual(first?.tools);
    expect(second).toMatchObject({ decision: "approve", resolved: true });
  });

  it("names the row and the field of a bad row", async () => {
    const file = join(temp("rows"), "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ messages: [{ role: "robot", content: "x" }] })}\n`);
    await expect(importSweReviewTraj(file, "t")).rejects.toThrow(
      /bad\.jsonl line 1: message 1 has role "robot"/,
    );
  });
});

describe("ATIF", () => {
  it("round trip: our trajectory → ATIF v1.6 → import gives the same conversation, usage and outcome", async () => {
    const run = temp("run");
    await recordReview(run, {
      instanceId: "x__x-1",
      turns: reviewTurns("Approve."),
      decision: "approve",
      resolved: true,
      patch: "d",
    });
    const atif = exportTrajectories(exportOptions([run], { format: "atif" }));
    const [document] = lines(atif.dataFile);
    expect(document).toMatchObject({
      schema_version: "ATIF-v1.6",
      agent: { name: "swe-review", model_name: "glm-5" },
      extra: { status: "finished", result: { decision: "approve" } },
    });
    const steps = document?.steps as Record<string, unknown>[];
    expect(steps.map((step) => step.source)).toEqual(["system", "user", "agent", "agent", "agent", "agent"]);
    expect(steps[2]).toMatchObject({
      reasoning_content: "Start with the problem statement.",
      tool_calls: [
        { function_name: "terminal", arguments: { command: "cat /review_data/problem_statement.txt" } },
        { function_name: "terminal", arguments: { command: "git diff", timeout: 30 } },
      ],
      extra: { arguments_text: { call_1_1: '{"command":"git diff","timeout":30.0}' } },
    });
    const imported = temp("imported");
    writeImportedRun(imported, importAtif(atif.dataFile, "2026-01-01T00:00:00.000Z"));
    const [original] = [...loadSamples([run])];
    const [back] = [...loadSamples([imported])];
    expect(back?.messages).toEqual(original?.messages);
    expect(back?.tools).toEqual(original?.tools);
    expect(back).toMatchObject({ decision: "approve", status: "finished", instanceId: "x__x-1" });
    const events = readTrajectory(join(imported, "instances", "x__x-1", "trajectory.jsonl")).events;
    const firstStep = events.find((event) => event.type === "step");
    expect(firstStep?.type === "step" && firstStep.usage.completionTokens).toBeGreaterThan(0);
    const errors = events.flatMap((event) =>
      event.type === "step" ? event.observations.filter((o) => o.isError) : [],
    );
    expect(errors).toHaveLength(1);
  });

  it("reads harbor's ATIF: the decision from the report the agent wrote", () => {
    const file = join(temp("atif"), "trajectory.json");
    const report = {
      decision: { recommendation: "request_changes", confidence: 0.9 },
      summary: {},
      defects: [],
    };
    writeFileSync(
      file,
      JSON.stringify({
        schema_version: "ATIF-v1.5",
        session_id: "harbor-session",
        agent: { name: "openhands-sdk", version: "unknown", tool_definitions: tools },
        steps: [
          { step_id: 1, source: "system", message: "sys" },
          { step_id: 2, source: "user", message: "review" },
          {
            step_id: 3,
            source: "agent",
            message: "",
            tool_calls: [
              {
                tool_call_id: "t1",
                function_name: "file_editor",
                arguments: {
                  command: "create",
                  path: "/review_report.json",
                  file_text: JSON.stringify(report),
                },
              },
            ],
            observation: { results: [{ source_call_id: "t1", content: "File created" }] },
          },
          { step_id: 4, source: "agent", message: "Done." },
        ],
      }),
    );
    const [imported] = importAtif(file, "2026-01-01T00:00:00.000Z");
    expect(imported?.result).toMatchObject({ decision: "request_changes", imported_from: "atif" });
    expect(importAtif.bind(null, join(temp("x"), "missing.json"), "t")).toThrow(/Cannot read ATIF file/);
  });
});
