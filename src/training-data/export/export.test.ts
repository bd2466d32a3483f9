import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  NO_TEMPLATE_REASON,
  NO_TOKENIZER_REASON,
  qwen3TemplateSources,
  qwen3TokenizerFile,
  renderWithTemplate,
} from "../../../test/helpers/qwen3-template.js";
import { recordReview, reviewTurns } from "../../../test/helpers/review-run.js";
import { skipTitle, unless } from "../../../test/helpers/skip.js";
import { loadSamples } from "../dataset/load-samples.js";
import { type ExportOptions, exportTrajectories } from "./export.js";
import { trainingConversation } from "./prepare.js";
import type { ShareGptMessage } from "./sharegpt.js";
import { findTextTokenizer } from "./token-count.js";
import { compileMaskPatterns, DEFAULT_MASK_PATTERNS } from "./turn-mask.js";
import { llamaFactoryQwen3Text, shareGptProblems, validateShareGptFile } from "./validate-sharegpt.js";

let runDir: string;

beforeAll(async () => {
  runDir = mkdtempSync(join(tmpdir(), "swe-review-export-"));
  // correct approve, correct reject, a false approval, an unlabelled one, one without a decision, an empty patch
  await recordReview(runDir, {
    instanceId: "a__a-1",
    turns: reviewTurns("Approve: fixed."),
    decision: "approve",
    resolved: true,
    patch: "diff --git a/x b/x\n+1\n",
  });
  await recordReview(runDir, {
    instanceId: "b__b-2",
    turns: reviewTurns("Request changes."),
    decision: "request_changes",
    resolved: false,
    patch: "diff\n",
  });
  await recordReview(runDir, {
    instanceId: "c__c-3",
    turns: reviewTurns("Approve."),
    decision: "approve",
    resolved: false,
    patch: "diff\n",
  });
  await recordReview(runDir, {
    instanceId: "d__d-4",
    turns: reviewTurns("Approve."),
    decision: "approve",
    patch: "diff\n",
  });
  await recordReview(runDir, {
    instanceId: "e__e-5",
    turns: [{ content: "I cannot decide." }],
    decision: null,
    resolved: true,
  });
  await recordReview(runDir, {
    instanceId: "f__f-6",
    turns: reviewTurns("Approve."),
    decision: "approve",
    resolved: true,
    patch: "  \n",
  });
});

function options(overrides: Partial<ExportOptions> = {}): ExportOptions {
  return {
    inputs: [runDir],
    outDir: mkdtempSync(join(tmpdir(), "swe-review-export-out-")),
    format: "llamafactory",
    filters: { keep: "correct", maxPatchBytes: 50 * 1024, statuses: ["finished"] },
    cutoffLen: 131_072,
    overCutoff: "drop",
    maskPatterns: compileMaskPatterns(DEFAULT_MASK_PATTERNS),
    datasetName: "swe_review_traj_decision_correct",
    baseModel: "Qwen/Qwen3-8B",
    gpus: 8,
    env: {},
    ...overrides,
  };
}

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("exportTrajectories --format llamafactory", () => {
  it("keeps the decision-correct reviews and counts every filter and the confusion", () => {
    const result = exportTrajectories(options());
    const stats = JSON.parse(readFileSync(result.statsFile, "utf8"));
    expect(stats).toMatchObject({
      inputs: 6,
      kept: 2,
      dropped: { decision_incorrect: 1, unlabeled: 1, no_decision: 1, empty_patch: 1 },
      confusion: {
        approve_resolved: 2,
        approve_unresolved: 1,
        request_changes_unresolved: 1,
        request_changes_resolved: 0,
        labelled: 4,
        decision_accuracy: 75,
      },
      turns: { assistant: 8, masked: 2 },
    });
    expect(readLines(result.dataFile)).toHaveLength(2);
  });

  it("writes records LLaMA-Factory loads and turns into exactly the real chat template's text", () => {
    const result = exportTrajectories(options());
    const report = validateShareGptFile(result.dataFile);
    expect(report).toMatchObject({ records: 2, valid: 2, problems: [] });
    const samples = [...loadSamples([runDir])].filter(
      (s) => s.instanceId === "a__a-1" || s.instanceId === "b__b-2",
    );
    const records = readLines(result.dataFile);
    const sources = qwen3TemplateSources();
    records.forEach((record, index) => {
      const messages = record.messages as ShareGptMessage[];
      expect(messages.map((m) => m.role)).toEqual([
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
      ]);
      // the turn that read a missing file is masked; the others are trained
      expect(messages.filter((m) => m.role === "assistant").map((m) => m.turn_mask)).toEqual([
        false,
        true,
        false,
        false,
      ]);
      const sample = samples[index];
      if (!sample) throw new Error("sample missing");
      for (const source of sources) {
        const expected = renderWithTemplate(source, trainingConversation(sample.messages), sample.tools);
        expect(llamaFactoryQwen3Text(messages), source.name).toBe(expected);
      }
    });
    const first = (records[0]?.messages as ShareGptMessage[]) ?? [];
    expect(first[2]?.content).toContain(
      '<tool_call>\n{"name": "terminal", "arguments": {"command": "git diff", "timeout": 30.0}}\n</tool_call>',
    );
    expect(first.at(-1)?.content).toBe(
      '<think>\nTests pass; decide.\n</think>\n\nApprove: fixed.\n<tool_call>\n{"name": "finish", "arguments": {"message": "Approve: fixed."}}\n</tool_call>',
    );
  });

  const noTemplate = unless(qwen3TemplateSources().length > 0, NO_TEMPLATE_REASON);
  it.skipIf(noTemplate)(
    skipTitle("renders the recorded trajectory as the template does, calls given as objects", noTemplate),
    () => {
      const [sample] = [...loadSamples([join(runDir, "instances", "a__a-1")])];
      if (!sample) throw new Error("no sample");
      const messages = trainingConversation(sample.messages);
      const record = readLines(
        exportTrajectories(options({ inputs: [join(runDir, "instances", "a__a-1")] })).dataFile,
      )[0];
      for (const source of qwen3TemplateSources()) {
        const parsed = renderWithTemplate(source, messages, sample.tools, { parsedArguments: true });
        // jinja's tojson prints 30.0 as 30 (JavaScript numbers); Python, and our export, print 30.0
        expect(
          llamaFactoryQwen3Text(record?.messages as ShareGptMessage[]).replace(
            '"timeout": 30.0',
            '"timeout": 30',
          ),
        ).toBe(parsed);
      }
    },
  );

  it("writes dataset_info.json, the training YAML and the DeepSpeed ZeRO-3 config of the paper's recipe", () => {
    const result = exportTrajectories(options({ baseModel: "Qwen/Qwen3-30B-A3B", gpus: 4 }));
    const dir = join(result.dataFile, "..");
    expect(JSON.parse(readFileSync(join(dir, "dataset_info.json"), "utf8"))).toEqual({
      swe_review_traj_decision_correct: {
        file_name: "swe_review_traj_decision_correct.jsonl",
        formatting: "sharegpt",
        columns: { messages: "messages" },
        tags: {
          role_tag: "role",
          content_tag: "content",
          user_tag: "user",
          assistant_tag: "assistant",
          system_tag: "system",
        },
      },
    });
    const yaml = readFileSync(join(dir, "configs", "swe_review_qwen3_30b_a3b.yaml"), "utf8");
    for (const line of [
      "model_name_or_path: Qwen/Qwen3-30B-A3B",
      "finetuning_type: full",
      "deepspeed: configs/deepspeed_z3.json",
      "template: qwen3_nothink",
      "cutoff_len: 131072",
      "rope_scaling: yarn",
      "turn_mask: true",
      "learning_rate: 1.0e-4",
      "lr_scheduler_type: cosine",
      "warmup_ratio: 0.1",
      "num_train_epochs: 4.0",
      "gradient_accumulation_steps: 16",
    ]) {
      expect(yaml).toContain(`\n${line}\n`);
    }
    expect(yaml).toContain("ceil(131072 / 40960) = 4.0");
    expect(yaml).toContain("SWE-Lego fork");
    const deepspeed = JSON.parse(readFileSync(join(dir, "configs", "deepspeed_z3.json"), "utf8"));
    expect(deepspeed.zero_optimization).toMatchObject({
      stage: 3,
      stage3_gather_16bit_weights_on_model_save: true,
    });
    const plain = exportTrajectories(options({ maskPatterns: null }));
    const stock = readFileSync(join(plain.dataFile, "..", "configs", "swe_review_qwen3_8b.yaml"), "utf8");
    expect(stock).not.toContain("turn_mask: true");
    expect(stock).toContain("gradient_accumulation_steps: 8");
  });

  it("never writes a secret value from the environment", () => {
    const open = exportTrajectories(options({ format: "openai" }));
    expect(readFileSync(open.dataFile, "utf8")).toContain("naïve » parsing");
    const hidden = exportTrajectories(
      options({ format: "openai", env: { GITHUB_TOKEN: "naïve » parsing" } }),
    );
    const text = readFileSync(hidden.dataFile, "utf8");
    expect(text).not.toContain("naïve » parsing");
    expect(text).toContain("[REDACTED]");
  });
});

describe("token lengths with Qwen3's tokenizer", () => {
  const file = qwen3TokenizerFile();
  const noTokenizer = unless(file, NO_TOKENIZER_REASON);
  it.skipIf(noTokenizer)(
    skipTitle("measures, and drops or truncates examples over the cutoff by whole turns", noTokenizer),
    () => {
      const tokenizer = findTextTokenizer(
        { baseModel: "Qwen/Qwen3-8B", ...(file ? { tokenizer: file } : {}) },
        {},
      );
      if (!tokenizer) throw new Error("no tokenizer");
      const full = exportTrajectories(options({ tokenizer }));
      const stats = JSON.parse(readFileSync(full.statsFile, "utf8"));
      expect(stats.tokens.method).toMatch(/tokenizer\.json/);
      const longest: number = stats.tokens.max;
      expect(longest).toBeGreaterThan(300);
      const dropped = JSON.parse(
        readFileSync(exportTrajectories(options({ tokenizer, cutoffLen: longest - 1 })).statsFile, "utf8"),
      );
      expect(dropped.dropped.over_cutoff).toBeGreaterThanOrEqual(1);
      const cut = exportTrajectories(options({ tokenizer, cutoffLen: longest - 1, overCutoff: "truncate" }));
      const cutStats = JSON.parse(readFileSync(cut.statsFile, "utf8"));
      expect(cutStats.truncated).toBeGreaterThanOrEqual(1);
      expect(cutStats.tokens.max).toBeLessThan(longest);
      for (const record of readLines(cut.dataFile)) expect(shareGptProblems(record)).toEqual([]);
    },
  );
});
