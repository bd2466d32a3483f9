import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { recordReview, reviewTurns } from "../helpers/review-run.js";

const temp = (name: string) => mkdtempSync(join(tmpdir(), `swe-review-cli-${name}-`));

describe("swe-review traj (built CLI)", () => {
  it("exports a run with labels from a file, and the validator accepts what it wrote", async () => {
    const run = temp("run");
    // no result.json: the labels come from the --labels file, by candidate id
    await recordReview(run, {
      instanceId: "a__a-1",
      candidateId: "a-1-c1",
      turns: reviewTurns("Approve."),
      decision: "approve",
      resultJson: false,
    });
    await recordReview(run, {
      instanceId: "b__b-2",
      candidateId: "b-2-c1",
      turns: reviewTurns("Approve."),
      decision: "approve",
      resultJson: false,
    });
    const labels = join(run, "labels.jsonl");
    writeFileSync(
      labels,
      `${JSON.stringify({ candidate_id: "a-1-c1", resolved: true })}\n${JSON.stringify({ instance_id: "b__b-2", resolved: false })}\n`,
    );
    const out = temp("out");
    const noCache = { PATH: process.env.PATH ?? "", HOME: temp("home") }; // no Hugging Face cache, so no tokenizer
    const exported = await runCli(["traj", "export", run, "--out", out, "--labels", labels, "--gpus", "4"], {
      env: noCache,
    });
    expect(exported.stderr).toContain("no tokenizer.json for the base model");
    expect(exported.code).toBe(0);
    const summary = JSON.parse(exported.stdout);
    expect(summary).toMatchObject({ kept: 1, inputs: 2, dropped: { decision_incorrect: 1 } });
    expect(summary.files).toEqual([
      join(out, "swe_review_traj_decision_correct.jsonl"),
      join(out, "swe_review_traj_decision_correct.stats.json"),
      join(out, "dataset_info.json"),
      join(out, "configs", "swe_review_qwen3_8b.yaml"),
      join(out, "configs", "deepspeed_z3.json"),
    ]);
    expect(readFileSync(join(out, "configs", "swe_review_qwen3_8b.yaml"), "utf8")).toContain(
      "gradient_accumulation_steps: 16",
    );
    const valid = await runCli(["traj", "validate", join(out, "swe_review_traj_decision_correct.jsonl")]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ records: 1, valid: 1, problems: [] });
  });

  it("imports SWE-Review-Traj rows and exports the tools-column form", async () => {
    const rows = join(temp("rows"), "rows.jsonl");
    const messages = [
      { role: "system", content: "sys" },
      { role: "user", content: "review" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "1", type: "function", function: { name: "terminal", arguments: '{"command": "ls"}' } },
        ],
      },
      { role: "tool", tool_call_id: "1", content: "x" },
      { role: "assistant", content: "Approve." },
    ];
    writeFileSync(
      rows,
      `${JSON.stringify({ messages, tools: "[]", decision: "approve", patch_resolved: true })}\n`,
    );
    const run = join(temp("imported"), "run");
    const imported = await runCli(["traj", "import", rows, "--from", "swe-review-traj", "--out", run]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ trajectories: 1, dropped_messages: 0 });
    const out = temp("tools");
    const exported = await runCli([
      "traj",
      "export",
      run,
      "--out",
      out,
      "--format",
      "llamafactory-tools",
      "--no-turn-mask",
    ]);
    expect(exported.code).toBe(0);
    const record = JSON.parse(readFileSync(join(out, "swe_review_traj_decision_correct.jsonl"), "utf8"));
    expect(record.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "function_call",
      "observation",
      "assistant",
    ]);
    const info = JSON.parse(readFileSync(join(out, "dataset_info.json"), "utf8"));
    expect(info.swe_review_traj_decision_correct.columns).toEqual({
      messages: "messages",
      system: "system",
      tools: "tools",
    });
    expect(
      (await runCli(["traj", "validate", join(out, "swe_review_traj_decision_correct.jsonl")])).code,
    ).toBe(0);
  });

  it("fails the validator on a file LLaMA-Factory would skip, and says what is wrong with bad input", async () => {
    const bad = join(temp("bad"), "bad.jsonl");
    writeFileSync(bad, `${JSON.stringify({ messages: [{ role: "user", content: "q" }] })}\n`);
    const invalid = await runCli(["traj", "validate", bad]);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).problems[0]).toEqual({
      record: 1,
      problem: "an odd number of turns (1): the last must be a reply",
    });
    const missing = await runCli(["traj", "export", "/nonexistent/run", "--out", temp("x")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      "/nonexistent/run: no such file or folder. Give an existing file or folder (trajectory files or run directories).",
    );
    const status = await runCli(["traj", "export", "/tmp", "--out", temp("y"), "--status", "done"]);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain("--status done: not an agent status");
  });
});
