import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { smallTokenizerJson } from "../../../test/helpers/small-tokenizer.js";
import { resolveModel } from "../../config/resolve-model.js";
import type { ModelRequest } from "../types.js";
import { chatSegments } from "./chat-render.js";
import { contextBudgetFor, createTokenCounter } from "./create-counter.js";
import { EstimatingCounter } from "./estimate.js";
import { findCachedTokenizer } from "./find-tokenizer.js";
import { HfTokenizerCounter } from "./hf-tokenizer.js";

const request: ModelRequest = {
  messages: [
    { role: "system", content: "You review." },
    { role: "user", content: "Check the patch." },
    {
      role: "assistant",
      content: "Looking.",
      reasoning: "\nFirst the diff.\n",
      toolCalls: [{ id: "c1", name: "terminal", arguments: '{"command": "git diff"}' }],
    },
    { role: "tool", toolCallId: "c1", name: "terminal", content: "diff --git a/x b/x" },
  ],
  tools: [{ name: "terminal", description: "Run.", parameters: { type: "object" } }],
};

function tokenizerFile(dir = mkdtempSync(join(tmpdir(), "swe-review-tok-"))): string {
  const file = join(dir, "tokenizer.json");
  writeFileSync(file, JSON.stringify(smallTokenizerJson()));
  return file;
}

describe("chatSegments", () => {
  it("renders a request as the Qwen3 chat template does, ending with the generation prompt", () => {
    expect(chatSegments(request).join("")).toBe(
      "<|im_start|>system\nYou review.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
        '{"type": "function", "function": {"name": "terminal", "description": "Run.", "parameters": {"type": "object"}}}\n</tools>\n\n' +
        "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n" +
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
        "<|im_start|>user\nCheck the patch.<|im_end|>\n" +
        '<|im_start|>assistant\n<think>\nFirst the diff.\n</think>\n\nLooking.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "git diff"}}\n</tool_call><|im_end|>\n' +
        "<|im_start|>user\n<tool_response>\ndiff --git a/x b/x\n</tool_response><|im_end|>\n" +
        "<|im_start|>assistant\n",
    );
  });
});

describe("HfTokenizerCounter", () => {
  it("counts with the tokenizer: special tokens are one token, merges apply", () => {
    const counter = HfTokenizerCounter.fromFile(tokenizerFile());
    expect(counter.countText("the the")).toBe(2); // "the", "Ġthe"
    expect(counter.countText("<|im_start|>the<|im_end|>")).toBe(3);
    expect(counter.countText("xyz")).toBe(3); // no merges: one byte each
  });

  it("counts a request as the sum of its cached message segments, equal to counting the whole prompt", () => {
    const counter = HfTokenizerCounter.fromFile(tokenizerFile());
    const whole = counter.countText(chatSegments(request).join(""));
    expect(counter.count(request)).toBe(whole);
    expect(counter.count(request)).toBe(whole); // from the cache
    expect(counter.method).toBe("tokenizer");
  });

  it("learns a constant difference to the server's count", () => {
    const counter = HfTokenizerCounter.fromFile(tokenizerFile());
    const ours = counter.count(request);
    counter.observe(request, ours + 7);
    expect(counter.count(request)).toBe(ours + 7);
  });

  it("says which file it could not read and what to do", () => {
    expect(() => HfTokenizerCounter.fromFile("/nonexistent/tokenizer.json")).toThrowError(
      /\/nonexistent\/tokenizer\.json \(model\.tokenizer\).*remove it to estimate/,
    );
  });
});

describe("choosing a counter", () => {
  it("finds the preset's tokenizer in the Hugging Face cache, else estimates", () => {
    const home = mkdtempSync(join(tmpdir(), "swe-review-hf-"));
    const snapshot = join(home, "hub", "models--Qwen--Qwen3-8B", "snapshots", "abc123");
    mkdirSync(snapshot, { recursive: true });
    tokenizerFile(snapshot);
    const env = { HF_HOME: home };
    expect(findCachedTokenizer("Qwen/Qwen3-8B", env)).toBe(join(snapshot, "tokenizer.json"));
    const model = resolveModel({ name: "SWE-Review-8B", timeoutSeconds: 1, maxRetries: 0 });
    expect(createTokenCounter(model, env).describe()).toBe(`tokenizer: ${join(snapshot, "tokenizer.json")}`);
    expect(createTokenCounter(model, {}).method).toBe("estimate");
    const gpt = resolveModel({ name: "gpt-4.1", timeoutSeconds: 1, maxRetries: 0 });
    expect(createTokenCounter(gpt, env).method).toBe("estimate");
    expect(contextBudgetFor(model, env)).toMatchObject({ contextLength: 131_072, reserveTokens: 8192 });
    expect(
      contextBudgetFor(resolveModel({ name: "mine", timeoutSeconds: 1, maxRetries: 0 }), env),
    ).toBeUndefined();
  });
});

describe("EstimatingCounter", () => {
  it("starts at 3 characters a token, then matches the server's count on the same conversation", () => {
    const counter = new EstimatingCounter();
    const characters = chatSegments(request).join("").length;
    expect(counter.count(request)).toBe(Math.ceil(characters / 3));
    counter.observe(request, 200);
    expect(counter.count(request)).toBe(200);
    counter.observe(request, 1); // implausible (a ratio above 8): ignored
    expect(counter.count(request)).toBe(200);
    expect(counter.describe()).toMatch(/calibrated/);
  });
});
